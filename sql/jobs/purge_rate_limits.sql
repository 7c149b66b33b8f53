-- jobs/purge_rate_limits.sql
-- Deletes at most $2 rate-limit counters whose window ($1 seconds) has ended; returns
-- how many.  A counter hit meanwhile is locked by that request and skipped.
-- The rows are locked by the inner SELECT (FOR UPDATE SKIP LOCKED), so their ctid cannot
-- change before the outer statement reaches them: a TID scan, no second index lookup.
-- Serves the rate_limits job. Index: rate_limits_window_start_idx.
-- $1 window_seconds int, $2 batch_size int
WITH gone AS (
    DELETE FROM rate_limits
    WHERE ctid = any(array(
            SELECT ctid
            FROM rate_limits
            WHERE window_start < now() - make_interval(secs => $1::integer)
            ORDER BY window_start
            LIMIT $2
            FOR UPDATE SKIP LOCKED
        ))
    RETURNING 1
)

SELECT count(*) AS purged
FROM gone;
