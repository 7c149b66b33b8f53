-- 0171_validate_audit_password_check_failed
-- Validates the audit event CHECK that 0170 added NOT VALID (a scan under
-- SHARE UPDATE EXCLUSIVE: reads and writes go on meanwhile).
-- depends: 0170_create_known_sign_in_addresses
SET lock_timeout = '5s';
SET statement_timeout = '600s';
SET search_path = public, pg_catalog;

ALTER TABLE audit_log VALIDATE CONSTRAINT audit_log_event_chk;
