-- 0156_create_events_raw_unmatched_idx
-- Serves quest/adopt_unmatched_raw_events (issue #16): when an integration is
-- connected, the deliveries that arrived "unmatched" for its provider account
-- within the adoption window are found by (provider, external_account_id,
-- received_at) among the unmatched rows only.  events_raw is a live table:
-- built CONCURRENTLY, in a non-transactional migration of its own.
-- transactional: false
-- depends: 0155_add_pet_gauges_at
SET lock_timeout = '5s';
SET statement_timeout = '1h';
SET search_path = public, pg_catalog;

-- No IF NOT EXISTS: a failed concurrent build leaves an INVALID index, to be dropped and built again.
-- yoyo runs this file outside a transaction (transactional: false above); squawk assumes one.
-- squawk-ignore ban-concurrent-index-creation-in-transaction
CREATE INDEX CONCURRENTLY events_raw_unmatched_idx ON events_raw (provider, external_account_id, received_at)
WHERE status = 'unmatched';
