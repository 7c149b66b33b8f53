-- quest/add_daily_metric.sql
-- Adds one event to its user's daily total of its kind (UTC day of occurred_at), in the
-- transaction that inserted the event, so the cache moves exactly with the events.
-- Serves event processing. Index: metrics_cache_pkey.
-- $1 user_id uuid, $2 kind text, $3 occurred_at timestamptz, $4 value bigint
INSERT INTO metrics_cache AS m (user_id, day, kind, total, event_count)
VALUES ($1, ($3::timestamptz AT TIME ZONE 'UTC')::date, $2, $4, 1)
ON CONFLICT (user_id, day, kind) DO UPDATE
    SET
        total = m.total + excluded.total,
        event_count = m.event_count + excluded.event_count;
