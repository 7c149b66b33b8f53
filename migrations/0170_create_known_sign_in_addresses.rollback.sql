-- 0170_create_known_sign_in_addresses (rollback)
-- The old list of events (rows of the new event go first); the table goes.
SET lock_timeout = '5s';
SET statement_timeout = '60s';
SET search_path = public, pg_catalog;

DELETE FROM audit_log
WHERE event = 'password_check_failed';
ALTER TABLE audit_log DROP CONSTRAINT audit_log_event_chk;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_event_chk CHECK (
    event IN (
        'register', 'login', 'login_failed', 'logout', 'token_reuse',
        'password_change', 'account_delete',
        'integration_connect', 'integration_revoke',
        'chat_owner_handover',
        'app_client_create', 'app_secret_rotate', 'app_client_revoke', 'app_token_issue'
    )
);
DROP TABLE known_sign_in_addresses;
