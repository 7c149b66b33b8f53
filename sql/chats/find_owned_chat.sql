-- chats/find_owned_chat.sql
-- The id of a chat of this kind and title the user owns, if any: the demo
-- seed looks before it writes.  Serves `db seed`.
-- Indexes: chat_members_user_id_idx (the user's chats), chats_pkey.
-- $1 owner_id uuid, $2 kind text, $3 title text
SELECT c.id
FROM chat_members AS m
INNER JOIN chats AS c ON m.chat_id = c.id
WHERE
    m.user_id = $1
    AND m.role = 'owner'
    AND c.kind = $2
    AND c.title = $3
ORDER BY c.created_at
LIMIT 1;
