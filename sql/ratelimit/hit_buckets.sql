-- ratelimit/hit_buckets.sql
-- Counts one attempt against several buckets at once (an account, a client
-- address, the pair of both) in fixed windows of $2 seconds; returns each
-- bucket's hits in the current window and the seconds until that window ends.
-- Serves POST /auth/login, /auth/token and /me/password. Index: rate_limits_pkey.
-- $1 buckets text[] (NULL elements are skipped), $2 window_seconds int
INSERT INTO rate_limits AS r (bucket, window_start, hits)
SELECT DISTINCT
    b.bucket,
    date_bin(make_interval(secs => $2::integer), now(), timestamptz '2000-01-01 00:00:00+00') AS window_start,
    1 AS hits
FROM unnest($1::text[]) AS b (bucket)
WHERE b.bucket IS NOT NULL
ORDER BY b.bucket  -- one lock order for every request: two concurrent attempts never deadlock
ON CONFLICT (bucket) DO UPDATE
    SET
        hits = CASE WHEN r.window_start = excluded.window_start THEN r.hits + 1 ELSE 1 END,
        window_start = excluded.window_start
RETURNING
    r.bucket,
    r.hits,
    ceil(extract(EPOCH FROM r.window_start + make_interval(secs => $2::integer) - now()))::integer
        AS retry_after_s;
