-- accounts/revoke_session.sql
-- Logout: revokes one of the caller's sessions; returns its id, or no row.
-- Serves POST /auth/logout. Index: auth_sessions_pkey.
-- $1 user_id uuid, $2 session_id uuid
UPDATE auth_sessions
SET revoked_at = now(), revoked_reason = 'logout'
WHERE id = $2
    AND user_id = $1
    AND revoked_at IS NULL
RETURNING id;
