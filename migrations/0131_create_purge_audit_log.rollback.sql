-- 0131_create_purge_audit_log (rollback)
SET lock_timeout = '5s';

DROP FUNCTION purge_audit_log(integer, integer, integer);
