-- 0170_create_known_sign_in_addresses
-- Sign-in throttling that a stranger cannot turn into a lock-out (issue #18):
-- the addresses each account has signed in from successfully.  The
-- per-account attempt limit applies only to addresses not listed here, so
-- the owner at a known address gets in while a guesser elsewhere is slowed.
-- Retention: a row not refreshed by a successful sign-in for
-- KNOWN_ADDRESS_RETENTION days is purged (accounts/purge_known_addresses).
-- Also a new audit event, password_check_failed (a wrong current password on
-- POST /me/password); the CHECK is replaced NOT VALID and validated by 0171.
-- depends: 0133_validate_json_size_checks
SET lock_timeout = '5s';
SET statement_timeout = '60s';
SET search_path = public, pg_catalog;

CREATE TABLE known_sign_in_addresses (
    user_id uuid NOT NULL,
    address text NOT NULL,
    last_success_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT known_sign_in_addresses_pkey PRIMARY KEY (user_id, address),
    CONSTRAINT known_sign_in_addresses_user_id_fkey FOREIGN KEY (user_id)
        REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT known_sign_in_addresses_address_chk CHECK (char_length(address) BETWEEN 1 AND 100)
);

-- The table is created empty in this migration: nothing to block, no need for CONCURRENTLY.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX known_sign_in_addresses_last_success_at_idx ON known_sign_in_addresses (last_success_at);

COMMENT ON TABLE known_sign_in_addresses IS
'Client addresses each account signed in from successfully; exempt from the per-account attempt limit.';
COMMENT ON COLUMN known_sign_in_addresses.address IS
'The client address as the rate limiter sees it (the peer, or the proxy behind which it sits).';
COMMENT ON COLUMN known_sign_in_addresses.last_success_at IS
'Last successful sign-in from this address; rows older than the retention are purged.';

-- The list of events grows; every old value stays allowed.
-- squawk-ignore ban-drop-constraint
ALTER TABLE audit_log DROP CONSTRAINT audit_log_event_chk;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_event_chk CHECK (
    event IN (
        'register', 'login', 'login_failed', 'logout', 'token_reuse',
        'password_change', 'account_delete',
        'integration_connect', 'integration_revoke',
        'chat_owner_handover',
        'app_client_create', 'app_secret_rotate', 'app_client_revoke', 'app_token_issue',
        'password_check_failed'
    )
) NOT VALID;
