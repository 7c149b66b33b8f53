-- 0191_create_users_deleted_at_idx (rollback)
-- transactional: false
-- squawk-disable-assume-in-transaction
SET lock_timeout = '5s';
SET statement_timeout = '60s';
SET search_path = public, pg_catalog;

DROP INDEX CONCURRENTLY IF EXISTS users_deleted_at_idx;
