-- accounts/revoke_other_sessions.sql
-- After a password change: revokes every live session of the user but the current one.
-- Returns how many were revoked. Serves POST /me/password. Index: auth_sessions_user_id_idx.
-- $1 user_id uuid, $2 keep_session_id uuid (NULL = revoke all)
WITH revoked AS (
    UPDATE auth_sessions
    SET revoked_at = now(), revoked_reason = 'password_change'
    WHERE user_id = $1
        AND revoked_at IS NULL
        AND id IS DISTINCT FROM $2
    RETURNING id
)

SELECT count(*)::int
FROM revoked;
