-- 0112_validate_audit_event_chk
-- Validates the audit event CHECK that 0111 added NOT VALID (a scan under
-- SHARE UPDATE EXCLUSIVE: reads and writes go on meanwhile).
-- depends: 0111_audit_chat_owner_handover
SET lock_timeout = '5s';
SET statement_timeout = '600s';

ALTER TABLE audit_log VALIDATE CONSTRAINT audit_log_event_chk;
