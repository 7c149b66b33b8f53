-- chats/lock_member_chats.sql
-- Locks every chat the user belongs to, in chat id order (the one order in
-- which any transaction takes more than one chat lock, so none deadlocks
-- with another), before the account's chats are handed over or deleted.
-- Returns the ids.  Serves chats.logic.hand_over_owned_chats (account
-- deletion). Indexes: chat_members_user_id_idx, chats_pkey.
-- $1 user_id uuid
SELECT c.id
FROM chat_members AS m
INNER JOIN chats AS c ON m.chat_id = c.id
WHERE m.user_id = $1
ORDER BY c.id
FOR NO KEY UPDATE OF c;
