-- chats/post_message.sql
-- Posts a user message (sender: the caller) to a chat the caller belongs to
-- and, in the same statement, moves the chat's updated_at (and gives an
-- untitled chat a title from its first message: whitespace collapsed, 60
-- characters) and, in a group chat, the context's last_activity_at.  No row
-- for a non-member.  Assistant messages come from an app client only
-- (post_assistant_message.sql): this statement cannot write one.
-- Serves POST /chats/{id}/messages. Indexes: chat_members_pkey, chats_pkey,
-- group_contexts_pkey.
-- $1 user_id uuid, $2 chat_id uuid, $3 content text,
-- $4 thinking jsonb, $5 action text, $6 drawer_data jsonb (or NULL)
WITH msg AS (
    INSERT INTO messages (chat_id, sender_id, role, content, thinking, action, drawer_data)
    SELECT
        me.chat_id,
        me.user_id AS sender_id,
        'user' AS role,
        $3::text,
        $4::jsonb,
        $5::text,
        $6::jsonb
    FROM chat_members AS me
    WHERE
        me.chat_id = $2
        AND me.user_id = $1
    RETURNING id, chat_id, sender_id, role, content, thinking, action, drawer_data, created_at
),

chat AS (
    UPDATE chats AS c
    SET
        updated_at = msg.created_at,
        title = coalesce(
            c.title,
            nullif(rtrim(left(btrim(regexp_replace(left(msg.content, 240), '\s+', ' ', 'g')), 60)), '')
        )
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
