-- chats/list_messages.sql
-- The newest messages of a chat the caller belongs to, before a keyset cursor,
-- newest first (the route reverses a page into chronological order); no rows
-- for a non-member.  A deleted message is a tombstone in its place (deleted
-- true, content null), so pages and cursors keep their rows.  Serves GET /chats/{id}/messages.
-- Indexes: chat_members_pkey (membership), then messages_chat_id_idx
-- (chat_id, id) scanned backward from the cursor.  The messages are read in a
-- LATERAL subquery keyed by the membership row, so the planner sees "one
-- chat" and never walks messages_pkey backward filtering on chat_id (which
-- it picked for a large chat with old messages: ~500k rows read, 90 ms).
-- The cursor (and any optional bound) is written col < coalesce($n, <largest value>), not
-- ($n IS NULL OR col < $n): a prepared statement's generic plan can use the former as an index
-- condition; the latter becomes a filter, and a deep page reads every newer row first.
-- $1 user_id uuid, $2 chat_id uuid, $3 before_id bigint (NULL = newest page), $4 limit int
SELECT
    msg.id,
    msg.sender_id,
    msg.role,
    msg.content,
    msg.thinking,
    msg.action,
    msg.drawer_data,
    msg.created_at,
    msg.updated_at,
    msg.edited_at,
    msg.deleted,
    msg.version
FROM chat_members AS me
INNER JOIN LATERAL (
    SELECT
        m.id,
        m.sender_id,
        m.role,
        m.content,
        m.thinking,
        m.action,
        m.drawer_data,
        m.created_at,
        coalesce(m.updated_at, m.created_at) AS updated_at,
        m.edited_at,
        m.deleted_at IS NOT NULL AS deleted,
        m.version
    FROM messages AS m
    WHERE
        m.chat_id = me.chat_id
        AND m.id < coalesce($3::bigint, 9223372036854775807)
    ORDER BY m.id DESC
    LIMIT $4
) AS msg ON TRUE
WHERE
    me.chat_id = $2
    AND me.user_id = $1
ORDER BY msg.id DESC;
