-- chats/post_assistant_message.sql
-- Posts an assistant message (no sender) to any chat on behalf of an app
-- client that is active and has the chat:assistant scope: the revocation
-- check is this statement's join, no extra round trip.  Moves the chat's
-- updated_at and, in a group chat, the context's last_activity_at, in the
-- same statement.  No row for an unknown chat, or a revoked, unknown or
-- unscoped client (get_app_client_status tells which).
-- Serves POST /chats/{id}/messages (role assistant, app token).
-- Indexes: chats_pkey, app_clients_pkey, group_contexts_pkey.
-- $1 app_client_id uuid, $2 chat_id uuid, $3 content text, $4 thinking jsonb,
-- $5 action text, $6 drawer_data jsonb (or NULL)
WITH msg AS (
    INSERT INTO messages (chat_id, sender_id, role, content, thinking, action, drawer_data)
    SELECT
        c.id,
        NULL::uuid AS sender_id,
        'assistant' AS role,
        $3::text,
        $4::jsonb,
        $5::text,
        $6::jsonb
    FROM chats AS c
    INNER JOIN app_clients AS a
        ON
            a.id = $1
            AND a.revoked_at IS NULL
            AND a.scopes @> ARRAY['chat:assistant']::text[]
    WHERE c.id = $2
    RETURNING id, chat_id, sender_id, role, content, thinking, action, drawer_data, created_at
),

chat AS (
    UPDATE chats AS c
    SET updated_at = msg.created_at
    FROM msg
    WHERE c.id = msg.chat_id
    RETURNING c.id
),

context AS (
    UPDATE group_contexts AS gc
    SET last_activity_at = msg.created_at
    FROM msg
    WHERE gc.chat_id = msg.chat_id
    RETURNING gc.chat_id
)

SELECT
    msg.id,
    msg.sender_id,
    msg.role,
    msg.content,
    msg.thinking,
    msg.action,
    msg.drawer_data,
    msg.created_at
FROM msg;
