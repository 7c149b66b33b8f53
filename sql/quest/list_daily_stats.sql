-- quest/list_daily_stats.sql
-- The caller's per-day totals per event kind for days in [from, to], oldest first.
-- Serves GET /stats/daily. Index: metrics_cache_pkey (user_id, day, kind): one range scan.
-- $1 user_id uuid, $2 from date, $3 to date
SELECT day, kind, total, event_count
FROM metrics_cache
WHERE user_id = $1
    AND day BETWEEN $2 AND $3
ORDER BY day ASC, kind ASC;
