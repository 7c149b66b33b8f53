-- 0156_create_events_raw_unmatched_idx (rollback)
-- transactional: false
SET lock_timeout = '5s';
SET statement_timeout = '60s';
SET search_path = public, pg_catalog;

DROP INDEX CONCURRENTLY events_raw_unmatched_idx;
