-- chats/delete_chat.sql
-- Deletes a chat the caller owns (members, messages and context go with it
-- by cascade); returns its id, or no row when the caller is not its owner
-- or the chat is at another version than If-Match names.
-- Ownership is the caller's chat_members row with role owner (the only
-- record of it).  Serves DELETE /chats/{id}. Indexes: chat_members_pkey, chats_pkey.
-- $1 user_id uuid, $2 chat_id uuid, $3 if_match bigint[] (NULL = unconditional)
DELETE FROM chats AS c
USING chat_members AS me
WHERE
    c.id = $2
    AND me.chat_id = c.id
    AND me.user_id = $1
    AND me.role = 'owner'
    AND ($3::bigint[] IS NULL OR $3::bigint[] @> ARRAY[c.version])
RETURNING c.id;
