-- quest/list_pending_raw.sql
-- Ids of raw events stored but not processed (a crash between ingest and processing),
-- oldest first, after a keyset id.
-- Serves `python -m service events process`. Index: events_raw_pending_idx.
-- $1 after_id bigint, $2 limit int
SELECT id
FROM events_raw
WHERE status = 'pending'
    AND id > $1
ORDER BY id ASC
LIMIT $2;
