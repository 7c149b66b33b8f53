-- 0050_create_integrations
-- Quest: a user's OAuth connection to an activity provider (GitHub, Fitbit).
-- Tokens arrive here already encrypted by the service (AES-GCM, nonce || ciphertext),
-- with the id of the key that encrypted them so keys can rotate.  Revoking erases them.
-- depends: 0004_create_audit_log
SET lock_timeout = '5s';
SET statement_timeout = '60s';

CREATE TABLE integrations (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL,
    provider text NOT NULL,
    external_account_id text NOT NULL,
    access_token_enc bytea,
    refresh_token_enc bytea,
    token_key_id text,
    scopes text[] NOT NULL DEFAULT '{}',
    status text NOT NULL DEFAULT 'active',
    expires_at timestamptz,
    revoked_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT integrations_pkey PRIMARY KEY (id),
    CONSTRAINT integrations_id_user_id_key UNIQUE (id, user_id),
    CONSTRAINT integrations_user_id_fkey FOREIGN KEY (user_id)
        REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT integrations_provider_chk CHECK (provider IN ('github', 'fitbit')),
    CONSTRAINT integrations_status_chk CHECK (status IN ('active', 'revoked', 'error')),
    CONSTRAINT integrations_external_account_id_chk CHECK (
        char_length(external_account_id) BETWEEN 1 AND 255
    ),
    CONSTRAINT integrations_token_key_id_chk CHECK (token_key_id ~ '^[A-Za-z0-9_-]{1,32}$'),
    CONSTRAINT integrations_scopes_chk CHECK (cardinality(scopes) <= 64),
    -- A live integration holds an encrypted access token and its key id; a revoked one holds no token.
    CONSTRAINT integrations_tokens_chk CHECK (
        CASE
            WHEN status = 'revoked'
                THEN access_token_enc IS NULL AND refresh_token_enc IS NULL AND token_key_id IS NULL
            ELSE access_token_enc IS NOT NULL AND token_key_id IS NOT NULL
        END
    ),
    CONSTRAINT integrations_revoked_at_chk CHECK ((status = 'revoked') = (revoked_at IS NOT NULL)),
    -- AES-GCM: 12-byte nonce + at least the 16-byte tag.
    CONSTRAINT integrations_access_token_enc_chk CHECK (octet_length(access_token_enc) BETWEEN 28 AND 16384),
    CONSTRAINT integrations_refresh_token_enc_chk CHECK (octet_length(refresh_token_enc) BETWEEN 28 AND 16384)
);

-- Serves the FK and GET /integrations (a user's rows, newest first).
-- The table is created empty in this migration: nothing to block, no need for CONCURRENTLY.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX integrations_user_id_created_at_idx ON integrations (user_id, created_at DESC, id DESC);

-- At most one non-revoked integration per (user, provider): a revoked one can be reconnected.
-- The table is created empty in this migration: nothing to block, no need for CONCURRENTLY.
-- squawk-ignore require-concurrent-index-creation
CREATE UNIQUE INDEX integrations_user_id_provider_key ON integrations (user_id, provider)
WHERE status <> 'revoked';

-- Webhook routing: a provider account feeds one user.  Deliberately not tenant-keyed: an
-- incoming webhook names only the provider account, so this is the lookup that finds the tenant.
-- The table is created empty in this migration: nothing to block, no need for CONCURRENTLY.
-- squawk-ignore require-concurrent-index-creation
CREATE UNIQUE INDEX integrations_provider_external_account_id_key
ON integrations (provider, external_account_id)
WHERE status <> 'revoked';

CREATE TRIGGER integrations_set_updated_at_trg
BEFORE UPDATE ON integrations
FOR EACH ROW EXECUTE FUNCTION set_updated_at();

COMMENT ON TABLE integrations IS 'Quest: OAuth connections to activity providers; tokens encrypted by the service.';
COMMENT ON COLUMN integrations.external_account_id IS 'The account id at the provider (GitHub numeric user id, Fitbit owner id); webhooks name it.';
COMMENT ON COLUMN integrations.access_token_enc IS 'AES-GCM: 12-byte nonce || ciphertext || tag, by the service; NULL once revoked.';
COMMENT ON COLUMN integrations.refresh_token_enc IS 'Like access_token_enc; NULL when the provider gave none or once revoked.';
COMMENT ON COLUMN integrations.token_key_id IS 'Id of the TOKEN_KEYS key that encrypted both tokens (key rotation).';
COMMENT ON COLUMN integrations.status IS 'active | revoked | error; only active integrations receive webhook events.';
