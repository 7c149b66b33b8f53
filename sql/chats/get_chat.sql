-- chats/get_chat.sql
-- One chat the caller is a member of, as GET /chats lists it; no row for a
-- chat that does not exist or that the caller is not a member of.
-- Serves GET /chats/{id}. Indexes: chat_members_pkey (chat_id, user_id),
-- chats_pkey, chat_members_chat_id_owner_excl (the owner: the only record of
-- ownership), messages_chat_id_idx (last message).
-- $1 user_id uuid, $2 chat_id uuid
SELECT
    c.id,
    c.kind,
    (
        SELECT o.user_id
        FROM chat_members AS o
        WHERE
            o.chat_id = c.id
            AND o.role = 'owner'
    ) AS owner_id,
    c.title,
    m.role AS my_role,
    (
        SELECT count(*) AS n
        FROM chat_members AS cm
        WHERE cm.chat_id = c.id
    ) AS member_count,
    lm.id AS last_message_id,
    lm.role AS last_message_role,
    left(lm.content, 120) AS last_message_preview,
    lm.created_at AS last_message_at,
    c.created_at,
    c.updated_at,
    c.version
FROM chat_members AS m
INNER JOIN chats AS c ON m.chat_id = c.id
LEFT JOIN LATERAL (
    SELECT
        msg.id,
        msg.role,
        msg.content,
        msg.created_at
    FROM messages AS msg
    WHERE msg.chat_id = c.id
    ORDER BY msg.id DESC
    LIMIT 1
) AS lm ON TRUE
WHERE
    m.chat_id = $2
    AND m.user_id = $1;
