-- chats/message_in_chat.sql
-- The id of a message when it belongs to a chat the caller is a member of
-- (the message an entry says proposed it); no row otherwise.
-- Serves POST /chats/{id}/ledger. Indexes: messages_pkey, chat_members_pkey.
-- $1 user_id uuid, $2 chat_id uuid, $3 message_id bigint
SELECT m.id
FROM messages AS m
INNER JOIN chat_members AS me ON m.chat_id = me.chat_id
WHERE
    m.id = $3
    AND m.chat_id = $2
    AND me.user_id = $1;
