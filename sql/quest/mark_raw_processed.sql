-- quest/mark_raw_processed.sql
-- Marks a claimed raw event processed (in the transaction that applied it).
-- Serves event processing. Index: events_raw_pkey.
-- $1 raw_event_id bigint
UPDATE events_raw
SET
    status = 'processed',
    processed_at = now()
WHERE id = $1
    AND status = 'pending';
