-- 0186_create_events_raw_unmatched_account_idx (rollback)
-- transactional: false
-- squawk-disable-assume-in-transaction
SET lock_timeout = '5s';
SET statement_timeout = '60s';
SET search_path = public, pg_catalog;

DROP INDEX CONCURRENTLY IF EXISTS events_raw_unmatched_account_idx;
