-- chats/list_members.sql
-- The members of a chat the caller belongs to, by user id, after a keyset
-- cursor; no rows for a non-member.  Serves GET /chats/{id}/members.
-- Indexes: chat_members_pkey (chat_id, user_id) for the caller's membership
-- and for the ordered members, users_pkey for names.
-- $1 user_id uuid, $2 chat_id uuid, $3 after_user_id uuid (NULL = first page), $4 limit int
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
    AND ($3::uuid IS NULL OR m.user_id > $3)
ORDER BY m.user_id
LIMIT $4;
