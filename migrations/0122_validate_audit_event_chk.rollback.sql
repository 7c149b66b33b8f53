-- 0122_validate_audit_event_chk (rollback)
-- Back to the NOT VALID state 0121 left (same CHECK, not yet validated).
SET lock_timeout = '5s';
SET search_path = public, pg_catalog;

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
