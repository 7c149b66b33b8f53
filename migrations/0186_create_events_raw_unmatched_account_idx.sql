-- 0186_create_events_raw_unmatched_account_idx
-- Serves quest/adopt_unmatched_raw_events (issue #16): when an integration is
-- connected, the deliveries that arrived "unmatched" for its provider account
-- within the adoption window are found by (provider, external_account_id,
-- received_at) among the unmatched rows only.  (The retention purge's
-- events_raw_unmatched_idx, 0130, is on received_at alone.)  events_raw is a
-- live table: built CONCURRENTLY, in a non-transactional migration of its own;
-- an interrupted build leaves an INVALID index, dropped by the DROP ... IF EXISTS
-- before the build on a re-run.
-- transactional: false
-- squawk-disable-assume-in-transaction
-- depends: 0185_add_pet_gauges_at
SET lock_timeout = '5s';
SET statement_timeout = '60s';
SET search_path = public, pg_catalog;

-- The build may take long on a big table; it holds no lock that blocks traffic.
SET statement_timeout = 0;
DROP INDEX CONCURRENTLY IF EXISTS events_raw_unmatched_account_idx;
CREATE INDEX CONCURRENTLY IF NOT EXISTS events_raw_unmatched_account_idx
ON events_raw (provider, external_account_id, received_at)
WHERE status = 'unmatched';
