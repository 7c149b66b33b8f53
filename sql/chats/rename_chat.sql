-- chats/rename_chat.sql
-- Sets (or clears, NULL) a chat's title when the caller is its owner or an
-- admin and (with If-Match) the chat is at a version it names; no row otherwise.  Returns the chat as GET /chats/{id} shows it.
-- Serves PATCH /chats/{id}. Indexes: chat_members_pkey, chats_pkey,
-- chat_members_chat_id_owner_excl (the owner), messages_chat_id_idx (last message).
-- $1 user_id uuid, $2 chat_id uuid, $3 title text,
-- $4 if_match bigint[] (NULL = unconditional; else the chat's version must be one of them)
WITH updated AS (
    UPDATE chats AS c
    SET title = $3
    FROM chat_members AS m
    WHERE
        c.id = $2
        AND m.chat_id = c.id
        AND m.user_id = $1
        AND m.role IN ('owner', 'admin')
        AND ($4::bigint[] IS NULL OR $4::bigint[] @> ARRAY[c.version])
    RETURNING c.id, c.kind, c.title, m.role AS my_role, c.created_at, c.updated_at, c.version
)

SELECT
    u.id,
    u.kind,
    (
        SELECT o.user_id
        FROM chat_members AS o
        WHERE
            o.chat_id = u.id
            AND o.role = 'owner'
    ) AS owner_id,
    u.title,
    u.my_role,
    (
        SELECT count(*) AS n
        FROM chat_members AS cm
        WHERE cm.chat_id = u.id
    ) AS member_count,
    lm.id AS last_message_id,
    lm.role AS last_message_role,
    left(lm.content, 120) AS last_message_preview,
    lm.created_at AS last_message_at,
    u.created_at,
    u.updated_at,
    u.version
FROM updated AS u
LEFT JOIN LATERAL (
    SELECT
        msg.id,
        msg.role,
        msg.content,
        msg.created_at
    FROM messages AS msg
    WHERE msg.chat_id = u.id
    ORDER BY msg.id DESC
    LIMIT 1
) AS lm ON TRUE;
