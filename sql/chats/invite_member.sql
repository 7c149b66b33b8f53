-- chats/invite_member.sql
-- Records a pending invitation of an email address to a group chat in which
-- the caller is the owner or an admin; never looks the address up among the
-- accounts, so the answer is the same whether one holds it or not (issue #18).
-- A pending invitation of the same address to the chat is refreshed (role,
-- inviter, expiry).  Returns the invitation; no row when the caller may not
-- invite or the chat is solo.
-- Serves POST /chats/{id}/members with an email. Indexes: chat_members_pkey
-- (caller), chat_invitations_pending_key (the conflict).
-- $1 user_id uuid (the caller), $2 chat_id uuid, $3 email text (lower-case),
-- $4 role text (admin | member), $5 ttl_seconds int
INSERT INTO chat_invitations AS i (chat_id, chat_kind, email, role, invited_by, expires_at)
SELECT
    me.chat_id,
    me.chat_kind,
    $3 AS email,
    $4 AS role,
    me.user_id AS invited_by,
    now() + make_interval(secs => $5::integer) AS expires_at
FROM chat_members AS me
WHERE
    me.chat_id = $2
    AND me.user_id = $1
    AND me.role IN ('owner', 'admin')
    AND me.chat_kind = 'group'
ON CONFLICT (chat_id, email) WHERE status = 'pending'
DO UPDATE
    SET
        role = excluded.role,
        invited_by = excluded.invited_by,
        expires_at = excluded.expires_at
RETURNING i.id, i.chat_id, i.email, i.role, i.status, i.created_at, i.expires_at;
