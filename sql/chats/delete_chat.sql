-- chats/delete_chat.sql
-- Deletes a chat the caller owns (members, messages and context go with it
-- by cascade); returns its id, or no row when the caller is not its owner.
-- Ownership is the caller's chat_members row with role owner (the only
-- record of it).  Serves DELETE /chats/{id}. Indexes: chat_members_pkey, chats_pkey.
-- $1 user_id uuid, $2 chat_id uuid
DELETE FROM chats AS c
USING chat_members AS me
WHERE
    c.id = $2
    AND me.chat_id = c.id
    AND me.user_id = $1
    AND me.role = 'owner'
RETURNING c.id;
