-- ratelimit/hit_buckets.sql
-- Counts one attempt against two buckets at once (an account and a client
-- address) in fixed windows of $3 seconds; returns each bucket's hits in the
-- current window and the seconds until that window ends.
-- Serves POST /auth/login and /auth/token. Index: rate_limits_pkey.
-- $1 account_bucket text, $2 address_bucket text, $3 window_seconds int
INSERT INTO rate_limits AS r (bucket, window_start, hits)
SELECT
    b.bucket,
    date_bin(make_interval(secs => $3::integer), now(), timestamptz '2000-01-01 00:00:00+00') AS window_start,
    1 AS hits
FROM unnest(ARRAY[$1::text, $2::text]) AS b (bucket)
WHERE b.bucket IS NOT NULL
ON CONFLICT (bucket) DO UPDATE
    SET
        hits = CASE WHEN r.window_start = excluded.window_start THEN r.hits + 1 ELSE 1 END,
        window_start = excluded.window_start
RETURNING
    r.bucket,
    r.hits,
    ceil(extract(EPOCH FROM r.window_start + make_interval(secs => $3::integer) - now()))::integer
        AS retry_after_s;
