-- 0004_create_audit_log
-- Security events of every domain.  Rows outlive the account they are about
-- (user_id becomes NULL on account deletion) and never hold secrets.
-- depends: 0003_create_auth_sessions
SET lock_timeout = '5s';
SET statement_timeout = '60s';

CREATE TABLE audit_log (
    id bigint GENERATED ALWAYS AS IDENTITY,
    user_id uuid,
    event text NOT NULL,
    client_addr inet,
    details jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT audit_log_pkey PRIMARY KEY (id),
    CONSTRAINT audit_log_user_id_fkey FOREIGN KEY (user_id)
        REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT audit_log_event_chk CHECK (
        event IN (
            'register', 'login', 'login_failed', 'logout', 'token_reuse',
            'password_change', 'account_delete',
            'integration_connect', 'integration_revoke'
        )
    ),
    CONSTRAINT audit_log_details_chk CHECK (jsonb_typeof(details) = 'object')
);

-- Serves the FK and GET /me/audit (a user's rows, newest first, keyset on id).
-- The table is created empty in this migration: nothing to block, no need for CONCURRENTLY.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX audit_log_user_id_idx ON audit_log (user_id, id DESC);

COMMENT ON TABLE audit_log IS 'Append-only security events (sign-in, password, account, integrations).';
COMMENT ON COLUMN audit_log.user_id IS 'The account concerned; NULL once that account is deleted or unknown.';
COMMENT ON COLUMN audit_log.details IS 'Event specifics as a JSON object; never passwords, tokens or hashes.';
