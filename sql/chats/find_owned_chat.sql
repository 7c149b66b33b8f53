-- chats/find_owned_chat.sql
-- The id of a chat of this kind and title the user owns, if any: the demo
-- seed looks before it writes.  Serves `db seed`. Index: chats_owner_id_idx.
-- $1 owner_id uuid, $2 kind text, $3 title text
SELECT id
FROM chats
WHERE
    owner_id = $1
    AND kind = $2
    AND title = $3
ORDER BY created_at
LIMIT 1;
