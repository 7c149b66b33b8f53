-- chats/get_member.sql
-- One member of a chat as GET /chats/{id}/members lists it, seen by a member
-- of the same chat; no row when either is not a member.  Serves the failure
-- paths of the conditional member routes (412 carries the member's ETag).
-- Indexes: chat_members_pkey (both), users_pkey.
-- $1 user_id uuid (the caller), $2 chat_id uuid, $3 member_id uuid
SELECT
    t.user_id,
    u.display_name,
    u.username,
    t.role,
    t.created_at AS joined_at,
    t.version
FROM chat_members AS me
INNER JOIN chat_members AS t ON me.chat_id = t.chat_id
INNER JOIN users AS u ON t.user_id = u.id
WHERE
    me.chat_id = $2
    AND me.user_id = $1
    AND t.user_id = $3;
