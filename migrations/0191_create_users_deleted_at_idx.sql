-- 0191_create_users_deleted_at_idx
-- Serves the account_purge job (oldest deleted first) and each worker's start-up
-- load of the deleted-account set: only accounts marked deleted and not yet
-- purged are in it, so it stays small.  users is a live table: built
-- CONCURRENTLY, in a non-transactional migration of its own; an interrupted
-- build leaves an INVALID index, dropped by the DROP ... IF EXISTS on a re-run.
-- transactional: false
-- squawk-disable-assume-in-transaction
-- depends: 0190_add_users_deleted_at
SET lock_timeout = '5s';
SET statement_timeout = '60s';
SET search_path = public, pg_catalog;

SET statement_timeout = 0;
DROP INDEX CONCURRENTLY IF EXISTS users_deleted_at_idx;
CREATE INDEX CONCURRENTLY IF NOT EXISTS users_deleted_at_idx
ON users (deleted_at)
WHERE deleted_at IS NOT NULL;
