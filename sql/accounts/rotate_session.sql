-- accounts/rotate_session.sql
-- Refresh-token rotation in one statement.  When the presented hash is the
-- session's current one, it is replaced by the new hash (rotated = true).
-- When it is not (an older, already rotated token: a reuse), the session is
-- revoked (rotated = false).  No row: unknown, expired or revoked session.
-- Concurrent uses of one token serialise on the row lock: one rotates, the
-- other sees the new hash and counts as a reuse.
-- Serves POST /auth/refresh. Index: auth_sessions_pkey.
-- $1 session_id uuid, $2 presented_hash bytea, $3 new_hash bytea
UPDATE auth_sessions
SET
    token_hash = CASE WHEN token_hash = $2 THEN $3 ELSE token_hash END,
    revoked_at = CASE WHEN token_hash = $2 THEN NULL ELSE now() END,
    revoked_reason = CASE WHEN token_hash = $2 THEN NULL ELSE 'reuse' END,
    last_used_at = now()
WHERE id = $1
    AND revoked_at IS NULL
    AND expires_at > now()
RETURNING user_id, (revoked_at IS NULL) AS rotated;
