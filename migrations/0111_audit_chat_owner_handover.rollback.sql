-- 0111_audit_chat_owner_handover (rollback)
-- The old list of events; rows of the new event go first.
SET lock_timeout = '5s';
SET statement_timeout = '60s';

DELETE FROM audit_log
WHERE event = 'chat_owner_handover';
ALTER TABLE audit_log DROP CONSTRAINT audit_log_event_chk;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_event_chk CHECK (
    event IN (
        'register', 'login', 'login_failed', 'logout', 'token_reuse',
        'password_change', 'account_delete',
        'integration_connect', 'integration_revoke'
    )
);
