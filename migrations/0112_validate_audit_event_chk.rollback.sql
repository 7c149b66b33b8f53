-- 0112_validate_audit_event_chk (rollback)
-- Nothing to undo: a validated CHECK is the same CHECK.
SET lock_timeout = '5s';
SELECT 1 AS nothing_to_undo;
