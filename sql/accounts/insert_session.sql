-- accounts/insert_session.sql
-- Opens a refresh-token session; returns its id.
-- Serves POST /auth/login and /auth/token.
-- $1 user_id uuid, $2 token_hash bytea, $3 user_agent text, $4 ttl_seconds int
INSERT INTO auth_sessions (user_id, token_hash, user_agent, expires_at)
VALUES ($1, $2, $3, now() + make_interval(secs => $4::integer))
RETURNING id;
