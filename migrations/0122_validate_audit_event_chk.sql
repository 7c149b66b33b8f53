-- 0122_validate_audit_event_chk
-- Validates the audit event CHECK that 0121 added NOT VALID (a scan under
-- SHARE UPDATE EXCLUSIVE: reads and writes go on meanwhile).
-- depends: 0121_create_app_clients
SET lock_timeout = '5s';
SET statement_timeout = '600s';
SET search_path = public, pg_catalog;

ALTER TABLE audit_log VALIDATE CONSTRAINT audit_log_event_chk;
