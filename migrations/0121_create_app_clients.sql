-- 0121_create_app_clients
-- App credentials (issue #12): an app's backend (the one that runs the AI)
-- authenticates as an app, not as a user.  It exchanges its client id and
-- secret at POST /auth/token (OAuth2 client-credentials grant) for a
-- short-lived token carrying its scopes; only scope chat:assistant may post
-- role assistant messages.  Secrets are argon2id hashes; a rotation keeps the
-- previous secret valid until previous_secret_expires_at.  Revoked clients
-- are kept for the audit log's retention, then purged
-- (apps/purge_revoked_app_clients.sql).
--
-- New audit events: app_client_create, app_secret_rotate, app_client_revoke,
-- app_token_issue (audit_log.user_id NULL, details name the client).  The
-- CHECK is replaced NOT VALID and validated by 0122.
-- depends: 0120_add_idempotency_claim_token
SET lock_timeout = '5s';
SET statement_timeout = '60s';
SET search_path = public, pg_catalog;

CREATE TABLE app_clients (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    name text NOT NULL,
    secret_hash text NOT NULL,
    previous_secret_hash text,
    previous_secret_expires_at timestamptz,
    scopes text[] NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    rotated_at timestamptz,
    revoked_at timestamptz,
    CONSTRAINT app_clients_pkey PRIMARY KEY (id),
    CONSTRAINT app_clients_name_key UNIQUE (name),
    CONSTRAINT app_clients_name_chk CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
    CONSTRAINT app_clients_secret_hash_chk CHECK (char_length(secret_hash) BETWEEN 1 AND 255),
    CONSTRAINT app_clients_previous_secret_chk CHECK (
        (previous_secret_hash IS NULL) = (previous_secret_expires_at IS NULL)
        AND char_length(previous_secret_hash) BETWEEN 1 AND 255
    ),
    -- The scopes the service knows; a new scope is a new migration (and code that honours it).
    CONSTRAINT app_clients_scopes_chk CHECK (
        scopes <@ ARRAY['chat:assistant']::text[]
        AND array_position(scopes, NULL) IS NULL
    ),
    CONSTRAINT app_clients_revoked_at_chk CHECK (revoked_at >= created_at)
);

-- The table is created empty in this migration: nothing to block, no need for CONCURRENTLY.
-- Serves the purge of revoked clients (apps/purge_revoked_app_clients.sql).
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX app_clients_revoked_at_idx ON app_clients (revoked_at) WHERE revoked_at IS NOT NULL;

COMMENT ON TABLE app_clients IS
'App credentials: OAuth2 client-credentials clients (the apps'' backends), argon2id-hashed secrets, scopes.';
COMMENT ON COLUMN app_clients.name IS 'Unique name the CLI addresses it by (python -m service apps ...).';
COMMENT ON COLUMN app_clients.secret_hash IS 'argon2id hash of the current secret (the secret is shown once).';
COMMENT ON COLUMN app_clients.previous_secret_hash IS
'argon2id hash of the secret before the last rotation; valid until previous_secret_expires_at.';
COMMENT ON COLUMN app_clients.scopes IS 'Scopes the client may be granted; chat:assistant posts role assistant.';
COMMENT ON COLUMN app_clients.revoked_at IS
'Set by revoke: tokens stop working at once; the row is purged after the audit retention.';

-- The list of events grows; every old value stays allowed.
-- squawk-ignore ban-drop-constraint
ALTER TABLE audit_log DROP CONSTRAINT audit_log_event_chk;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_event_chk CHECK (
    event IN (
        'register', 'login', 'login_failed', 'logout', 'token_reuse',
        'password_change', 'account_delete',
        'integration_connect', 'integration_revoke',
        'chat_owner_handover',
        'app_client_create', 'app_secret_rotate', 'app_client_revoke', 'app_token_issue'
    )
) NOT VALID;
