-- quest/list_events.sql
-- The caller's events, newest first, in [from, to), optionally of one kind, after a
-- keyset cursor (occurred_at, id).
-- Serves GET /events. Index: events_user_id_occurred_at_idx, or
-- events_user_id_kind_occurred_at_idx when kind is given.
-- $1 user_id uuid, $2 from timestamptz (NULL = no bound), $3 to timestamptz (NULL = no bound),
-- $4 kind text (NULL = all), $5 before_occurred_at timestamptz (NULL = first page),
-- $6 before_id bigint, $7 limit int
SELECT id, kind, value, occurred_at, metadata, raw_event_id, created_at
FROM events
WHERE user_id = $1
    AND ($2::timestamptz IS NULL OR occurred_at >= $2)
    AND ($3::timestamptz IS NULL OR occurred_at < $3)
    AND ($4::text IS NULL OR kind = $4)
    AND ($5::timestamptz IS NULL OR (occurred_at, id) < ($5, $6::bigint))
ORDER BY occurred_at DESC, id DESC
LIMIT $7;
