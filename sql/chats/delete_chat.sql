-- chats/delete_chat.sql
-- Deletes a chat the caller owns (members, messages and context go with it
-- by cascade); returns its id, or no row when the caller is not its owner.
-- Serves DELETE /chats/{id}. Index: chats_pkey.
-- $1 user_id uuid, $2 chat_id uuid
DELETE FROM chats
WHERE
    id = $2
    AND owner_id = $1
RETURNING id;
