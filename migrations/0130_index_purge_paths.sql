-- 0130_index_purge_paths
-- The indexes the retention purges read (service/jobs/, README "Data lifecycle"):
-- each purge batch is `... WHERE <past retention> LIMIT n`, served by one of these.
-- Non-transactional: CREATE INDEX CONCURRENTLY on live tables (reads and writes go on).
-- An interrupted CONCURRENTLY build leaves an INVALID index behind; each build is
-- preceded by DROP INDEX CONCURRENTLY IF EXISTS so that a re-run rebuilds it instead
-- of IF NOT EXISTS silently keeping the invalid leftover.
-- transactional: false
-- squawk-disable-assume-in-transaction
-- depends: 0122_validate_audit_event_chk
SET lock_timeout = '5s';
SET statement_timeout = '60s';
SET search_path = public, pg_catalog;

-- The builds themselves may take long on a big table; they hold no lock that blocks traffic.
SET statement_timeout = 0;

-- auth_sessions: expired or revoked for longer than AUTH_SESSION_RETENTION_DAYS.
-- least() ignores NULL: the earlier of expiry and revocation.
DROP INDEX CONCURRENTLY IF EXISTS auth_sessions_ended_at_idx;
CREATE INDEX CONCURRENTLY IF NOT EXISTS auth_sessions_ended_at_idx
ON auth_sessions ((least(expires_at, revoked_at)));

-- rate_limits: windows that have ended (window_start + LOGIN_LIMIT_WINDOW < now()).
DROP INDEX CONCURRENTLY IF EXISTS rate_limits_window_start_idx;
CREATE INDEX CONCURRENTLY IF NOT EXISTS rate_limits_window_start_idx
ON rate_limits (window_start);

-- audit_log: append-only, created_at grows with the heap: a BRIN index is a few pages.
DROP INDEX CONCURRENTLY IF EXISTS audit_log_created_at_brin_idx;
CREATE INDEX CONCURRENTLY IF NOT EXISTS audit_log_created_at_brin_idx
ON audit_log USING brin (created_at);

-- audit_log: failed sign-ins naming no account (shorter retention).
DROP INDEX CONCURRENTLY IF EXISTS audit_log_unknown_login_idx;
CREATE INDEX CONCURRENTLY IF NOT EXISTS audit_log_unknown_login_idx
ON audit_log (created_at)
WHERE event = 'login_failed' AND user_id IS NULL;

-- events_raw: processed deliveries whose payload is not compacted yet.
DROP INDEX CONCURRENTLY IF EXISTS events_raw_compact_idx;
CREATE INDEX CONCURRENTLY IF NOT EXISTS events_raw_compact_idx
ON events_raw (processed_at)
WHERE status = 'processed' AND payload <> '{}'::jsonb;

-- events_raw: deliveries that matched no integration, dropped after RAW_EVENT_UNMATCHED_DAYS.
DROP INDEX CONCURRENTLY IF EXISTS events_raw_unmatched_idx;
CREATE INDEX CONCURRENTLY IF NOT EXISTS events_raw_unmatched_idx
ON events_raw (received_at)
WHERE status = 'unmatched';
