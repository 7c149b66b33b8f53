-- 0003_create_auth_sessions
-- One row per signed-in session.  The refresh token itself is never stored:
-- token_hash is its SHA-256.  Each refresh replaces token_hash (rotation);
-- a token whose hash no longer matches is a reuse and revokes the session.
-- depends: 0002_create_users
SET lock_timeout = '5s';
SET statement_timeout = '60s';

CREATE TABLE auth_sessions (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL,
    token_hash bytea NOT NULL,
    user_agent text,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz,
    revoked_reason text,
    CONSTRAINT auth_sessions_pkey PRIMARY KEY (id),
    CONSTRAINT auth_sessions_user_id_fkey FOREIGN KEY (user_id)
        REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT auth_sessions_token_hash_chk CHECK (octet_length(token_hash) = 32),
    CONSTRAINT auth_sessions_user_agent_chk CHECK (char_length(user_agent) <= 512),
    CONSTRAINT auth_sessions_expires_at_chk CHECK (expires_at > created_at),
    CONSTRAINT auth_sessions_revoked_reason_chk CHECK (
        revoked_reason IN ('logout', 'reuse', 'password_change')
    ),
    CONSTRAINT auth_sessions_revoked_chk CHECK ((revoked_at IS NULL) = (revoked_reason IS NULL))
);

-- Serves the FK (cascade on user delete) and "revoke the user's other sessions".
-- The table is created empty in this migration: nothing to block, no need for CONCURRENTLY.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX auth_sessions_user_id_idx ON auth_sessions (user_id);

COMMENT ON TABLE auth_sessions IS 'Refresh-token sessions; revocable; the token is stored only as a hash.';
COMMENT ON COLUMN auth_sessions.token_hash IS 'SHA-256 of the current refresh token secret.';
COMMENT ON COLUMN auth_sessions.revoked_reason IS 'logout | reuse | password_change; set with revoked_at.';
