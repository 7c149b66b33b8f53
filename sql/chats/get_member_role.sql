-- chats/get_member_role.sql
-- Another member's role, seen by a member of the same chat; no row when
-- either is not a member.  Serves the failure paths of the member routes.
-- Index: chat_members_pkey (twice).
-- $1 user_id uuid (the caller), $2 chat_id uuid, $3 member_id uuid
SELECT t.role
FROM chat_members AS me
INNER JOIN chat_members AS t ON me.chat_id = t.chat_id
WHERE
    me.chat_id = $2
    AND me.user_id = $1
    AND t.user_id = $3;
