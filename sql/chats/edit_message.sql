-- chats/edit_message.sql
-- Replaces the content of the caller's own live user message in a chat the
-- caller (still) belongs to, and marks it edited; If-Match by version.  No row
-- otherwise (the route tells 404 / 403 / 409 / 412 apart).  Assistant
-- messages are not edited through a user's token.
-- Serves PATCH /chats/{id}/messages/{mid}. Indexes: messages_pkey, chat_members_pkey.
-- $1 user_id uuid, $2 chat_id uuid, $3 message_id bigint, $4 content text,
-- $5 if_match bigint[] (NULL = unconditional)
UPDATE messages AS m
SET
    content = $4,
    edited_at = now()
FROM chat_members AS me
WHERE
    m.id = $3
    AND m.chat_id = $2
    AND m.role = 'user'
    AND m.sender_id = $1
    AND m.deleted_at IS NULL
    AND me.chat_id = m.chat_id
    AND me.user_id = $1
    AND ($5::bigint[] IS NULL OR $5::bigint[] @> ARRAY[m.version])
RETURNING
    m.id,
    m.sender_id,
    m.role,
    m.content,
    m.thinking,
    m.action,
    m.drawer_data,
    m.created_at,
    m.updated_at,
    m.edited_at,
    m.deleted_at IS NOT NULL AS deleted,
    m.version;
