-- jobs/purge_rate_limits.sql
-- Deletes at most $2 rate-limit counters whose window ($1 seconds) has ended; returns
-- how many.  A counter hit meanwhile is locked by that request and skipped.
-- Serves the rate_limits job. Index: rate_limits_window_start_idx.
-- $1 window_seconds int, $2 batch_size int
WITH doomed AS (
    SELECT bucket
    FROM rate_limits
    WHERE window_start < now() - make_interval(secs => $1::integer)
    ORDER BY window_start
    LIMIT $2
    FOR UPDATE SKIP LOCKED
),

gone AS (
    DELETE FROM rate_limits AS r
    USING doomed
    WHERE r.bucket = doomed.bucket
    RETURNING 1
)

SELECT count(*) AS purged
FROM gone;
