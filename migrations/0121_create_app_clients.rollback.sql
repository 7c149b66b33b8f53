-- 0121_create_app_clients (rollback)
-- Restores the previous audit event list (validated, as 0112 left it): rows of the
-- app events must be gone first, or the rollback fails rather than lose them silently.
SET lock_timeout = '5s';
SET statement_timeout = '60s';
SET search_path = public, pg_catalog;

ALTER TABLE audit_log DROP CONSTRAINT audit_log_event_chk;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_event_chk CHECK (
    event IN (
        'register', 'login', 'login_failed', 'logout', 'token_reuse',
        'password_change', 'account_delete',
        'integration_connect', 'integration_revoke',
        'chat_owner_handover'
    )
);

DROP TABLE app_clients;
