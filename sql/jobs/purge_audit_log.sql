-- jobs/purge_audit_log.sql
-- Deletes at most $1 audit rows past retention through the SECURITY DEFINER function
-- purge_audit_log (migration 0131): older than $2 days (at least 30), failed sign-ins
-- for unknown emails older than $3 days; returns how many.
-- Serves the audit_log job. Index: audit_log_unknown_login_idx, audit_log_created_at_brin_idx.
-- $1 batch_size int, $2 keep_days int, $3 unknown_keep_days int
SELECT purge_audit_log($1::integer, $2::integer, $3::integer) AS purged;
