-- chats/list_members.sql
-- The members of a chat the caller belongs to, by user id, after a keyset
-- cursor; no rows for a non-member.  Serves GET /chats/{id}/members.
-- Indexes: chat_members_pkey (chat_id, user_id) for the caller's membership
-- and for the ordered members, users_pkey for names.
-- The cursor (and any optional bound) is written col < coalesce($n, <largest value>), not
-- ($n IS NULL OR col < $n): a prepared statement's generic plan can use the former as an index
-- condition; the latter becomes a filter, and a deep page reads every newer row first.
-- $1 user_id uuid, $2 chat_id uuid, $3 after_user_id uuid (NULL = first page: after the nil UUID,
-- which no account has), $4 limit int
SELECT
    m.user_id,
    u.display_name,
    u.username,
    m.role,
    m.created_at AS joined_at,
    m.version
FROM chat_members AS me
INNER JOIN chat_members AS m ON me.chat_id = m.chat_id
INNER JOIN users AS u ON m.user_id = u.id
WHERE
    me.chat_id = $2
    AND me.user_id = $1
    AND m.user_id > coalesce($3::uuid, '00000000-0000-0000-0000-000000000000'::uuid)
ORDER BY m.user_id
LIMIT $4;
