-- chats/add_member.sql
-- Adds a user (by id or by email) to a group chat in which the caller is the
-- owner or an admin; no row when the caller may not, the chat is solo or the
-- user does not exist (or is marked deleted).  An existing member fails chat_members_pkey (409).
-- Serves POST /chats/{id}/members. Indexes: chat_members_pkey (caller),
-- users_pkey / users_email_key (the user).
-- $1 user_id uuid (the caller), $2 chat_id uuid, $3 member_id uuid (or NULL),
-- $4 email text (lower-case, or NULL), $5 role text (admin | member)
WITH added AS (
    INSERT INTO chat_members (chat_id, chat_kind, user_id, role)
    SELECT
        me.chat_id,
        me.chat_kind,
        u.id,
        $5 AS role
    FROM chat_members AS me
    INNER JOIN users AS u ON (u.id = $3::uuid OR u.email = $4::text) AND u.deleted_at IS NULL
    WHERE
        me.chat_id = $2
        AND me.user_id = $1
        AND me.role IN ('owner', 'admin')
        AND me.chat_kind = 'group'
    RETURNING user_id, role, created_at, version
)

SELECT
    a.user_id,
    u.display_name,
    u.username,
    a.role,
    a.created_at AS joined_at,
    a.version
FROM added AS a
INNER JOIN users AS u ON a.user_id = u.id;
