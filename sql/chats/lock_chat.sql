-- chats/lock_chat.sql
-- Locks a chat the caller belongs to (FOR NO KEY UPDATE of its chats row)
-- before a change of roles or membership, so that transfer, leave, remove,
-- demote, add-member and account deletion on one chat run one at a time; the
-- statement that follows in the same transaction reads the state left by
-- the previous one.  NO KEY UPDATE conflicts with itself and with DELETE, not
-- with the KEY SHARE locks of foreign-key checks, so posting a message is not
-- held up.  Returns the id; no row for a non-member (404) or no chat.
-- Serves the member routes (service/chats/logic.py). Indexes: chat_members_pkey, chats_pkey.
-- $1 user_id uuid, $2 chat_id uuid
SELECT c.id
FROM chats AS c
INNER JOIN chat_members AS me ON c.id = me.chat_id
WHERE
    c.id = $2
    AND me.user_id = $1
FOR NO KEY UPDATE OF c;
