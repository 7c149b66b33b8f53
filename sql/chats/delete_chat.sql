-- chats/delete_chat.sql
-- Deletes a chat the caller owns (members, messages and context go with it
-- by cascade); returns its id, or no row when the caller is not its owner
-- or the chat is at another version than If-Match names.
-- Serves DELETE /chats/{id}. Index: chats_pkey.
-- $1 user_id uuid, $2 chat_id uuid, $3 if_match bigint[] (NULL = unconditional)
DELETE FROM chats
WHERE
    id = $2
    AND owner_id = $1
    AND ($3::bigint[] IS NULL OR $3::bigint[] @> ARRAY[version])
RETURNING id;
