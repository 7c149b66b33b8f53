-- quest/list_events.sql
-- The caller's events, newest first, in [from, to), optionally of one kind, after a
-- keyset cursor (occurred_at, id).
-- Serves GET /events. Index: events_user_id_occurred_at_idx, or
-- events_user_id_kind_occurred_at_idx when kind is given.
-- The cursor (and any optional bound) is written col < coalesce($n, <largest value>), not
-- ($n IS NULL OR col < $n): a prepared statement's generic plan can use the former as an index
-- condition; the latter becomes a filter, and a deep page reads every newer row first.
-- $1 user_id uuid, $2 from timestamptz (NULL = no bound), $3 to timestamptz (NULL = no bound),
-- $4 kind text (NULL = all), $5 before_occurred_at timestamptz (NULL = first page),
-- $6 before_id bigint, $7 limit int
SELECT id, kind, value, occurred_at, metadata, raw_event_id, created_at
FROM events
WHERE user_id = $1
    AND occurred_at >= coalesce($2::timestamptz, '-infinity'::timestamptz)
    AND occurred_at < coalesce($3::timestamptz, 'infinity'::timestamptz)
    AND ($4::text IS NULL OR kind = $4)
    AND (occurred_at, id) < (
        coalesce($5::timestamptz, 'infinity'::timestamptz),
        coalesce($6::bigint, 9223372036854775807)
    )
ORDER BY occurred_at DESC, id DESC
LIMIT $7;
