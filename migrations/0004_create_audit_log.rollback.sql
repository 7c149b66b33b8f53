-- Rollback of 0004_create_audit_log.
SET lock_timeout = '5s';

DROP TABLE audit_log;
