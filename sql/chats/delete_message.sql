-- chats/delete_message.sql
-- Turns the caller's own live user message into a tombstone: the row stays
-- (so pages and cursors keep their positions) without its content, thinking
-- or drawer data; If-Match by version.  No row otherwise (the route tells
-- 404 / 403 / 409 / 412 apart).  Assistant messages are not deleted through a
-- user's token.  Serves DELETE /chats/{id}/messages/{mid}.
-- Indexes: messages_pkey, chat_members_pkey.
-- $1 user_id uuid, $2 chat_id uuid, $3 message_id bigint, $4 if_match bigint[] (NULL = unconditional)
UPDATE messages AS m
SET
    content = NULL,
    thinking = '[]'::jsonb,
    action = 'none',
    drawer_data = NULL,
    deleted_at = now()
FROM chat_members AS me
WHERE
    m.id = $3
    AND m.chat_id = $2
    AND m.role = 'user'
    AND m.sender_id = $1
    AND m.deleted_at IS NULL
    AND me.chat_id = m.chat_id
    AND me.user_id = $1
    AND ($4::bigint[] IS NULL OR $4::bigint[] @> ARRAY[m.version])
RETURNING m.id;
