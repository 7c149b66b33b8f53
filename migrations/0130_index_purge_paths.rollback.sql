-- 0130_index_purge_paths (rollback)
-- transactional: false
SET lock_timeout = '5s';

DROP INDEX CONCURRENTLY IF EXISTS events_raw_unmatched_idx;
DROP INDEX CONCURRENTLY IF EXISTS events_raw_compact_idx;
DROP INDEX CONCURRENTLY IF EXISTS audit_log_unknown_login_idx;
DROP INDEX CONCURRENTLY IF EXISTS audit_log_created_at_brin_idx;
DROP INDEX CONCURRENTLY IF EXISTS rate_limits_window_start_idx;
DROP INDEX CONCURRENTLY IF EXISTS auth_sessions_ended_at_idx;
