-- jobs/compact_raw_events.sql
-- Empties the payload of at most $2 raw events processed more than $1 days ago; returns
-- how many.  The row stays: provider + provider_event_id still refuse a redelivery, and
-- the normalized event (events.raw_event_id) still points at it.  Only pending rows'
-- payloads are ever read again (events process), never processed ones.
-- The rows are locked by the inner SELECT (FOR UPDATE SKIP LOCKED), so their ctid cannot
-- change before the outer statement reaches them: a TID scan, no second index lookup.
-- Serves the events_raw_compact job. Index: events_raw_compact_idx.
-- $1 retention_days int, $2 batch_size int
WITH done AS (
    UPDATE events_raw
    SET payload = '{}'::jsonb
    WHERE ctid = any(array(
            SELECT ctid
            FROM events_raw
            WHERE
                status = 'processed'
                AND payload <> '{}'::jsonb
                AND processed_at < now() - make_interval(days => $1::integer)
            ORDER BY processed_at
            LIMIT $2
            FOR UPDATE SKIP LOCKED
        ))
    RETURNING 1
)

SELECT count(*) AS purged
FROM done;
