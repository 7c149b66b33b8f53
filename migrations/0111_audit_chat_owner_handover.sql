-- 0111_audit_chat_owner_handover
-- A new audit event: chat_owner_handover, one row per group chat handed to a
-- new owner because its owner's account was deleted (issue #12).  The CHECK
-- is replaced NOT VALID (no scan under the ACCESS EXCLUSIVE lock) and
-- validated by 0112 in its own transaction.
-- depends: 0110_chat_owner_single_source
SET lock_timeout = '5s';
SET statement_timeout = '60s';

-- The list of events grows; every old value stays allowed.
-- squawk-ignore ban-drop-constraint
ALTER TABLE audit_log DROP CONSTRAINT audit_log_event_chk;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_event_chk CHECK (
    event IN (
        'register', 'login', 'login_failed', 'logout', 'token_reuse',
        'password_change', 'account_delete',
        'integration_connect', 'integration_revoke',
        'chat_owner_handover'
    )
) NOT VALID;
