-- jobs/purge_unmatched_raw_events.sql
-- Deletes at most $2 raw events that matched no integration, received more than $1
-- days ago; returns how many.  An unmatched row has no user, so no normalized event
-- can reference it (events.(raw_event_id, user_id) -> events_raw.(id, user_id)).
-- The rows are locked by the inner SELECT (FOR UPDATE SKIP LOCKED), so their ctid cannot
-- change before the outer statement reaches them: a TID scan, no second index lookup.
-- Serves the events_raw_unmatched job. Index: events_raw_unmatched_idx.
-- $1 retention_days int, $2 batch_size int
WITH gone AS (
    DELETE FROM events_raw
    WHERE ctid = any(array(
            SELECT ctid
            FROM events_raw
            WHERE
                status = 'unmatched'
                AND received_at < now() - make_interval(days => $1::integer)
            ORDER BY received_at
            LIMIT $2
            FOR UPDATE SKIP LOCKED
        ))
    RETURNING 1
)

SELECT count(*) AS purged
FROM gone;
