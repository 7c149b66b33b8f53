-- quest/list_goals.sql
-- The caller's goals, oldest first, after a keyset cursor (created_at, id), each with its
-- progress in the current UTC period (day, ISO week or month), summed from events when read
-- and clipped to [start_date, end_date]; period_end is exclusive.  With $5, only that goal
-- (no row for another user's goal): the one statement serves the list and the single read,
-- so the progress rule is written once.  A user has few goals, so the id filter is cheap.
-- Serves GET /goals and GET /goals/{id} (and the answers of POST and PATCH).
-- Index: goals_user_id_created_at_idx; the sums use events_user_id_kind_occurred_at_idx
-- (an index-only range scan).
-- $1 user_id uuid, $2 after_created_at timestamptz (NULL = first page), $3 after_id uuid, $4 limit int,
-- $5 goal_id uuid (NULL = every goal)
SELECT
    g.id, g.title, g.metric_kind, g.target, g.period, g.status, g.start_date, g.end_date,
    g.created_at, g.updated_at, g.version,
    b.period_start,
    b.period_end,
    coalesce(p.total, 0)::bigint AS progress
FROM goals AS g
CROSS JOIN
    LATERAL (
        SELECT
            t.period_start,
            (t.period_start + CASE g.period
                WHEN 'daily' THEN interval '1 day'
                WHEN 'weekly' THEN interval '7 days'
                ELSE interval '1 month'
            END)::date AS period_end
        FROM (
            SELECT date_trunc(
                CASE g.period WHEN 'daily' THEN 'day' WHEN 'weekly' THEN 'week' ELSE 'month' END,
                now() AT TIME ZONE 'UTC'
            )::date AS period_start
        ) AS t
    ) AS b
CROSS JOIN
    LATERAL (
        SELECT sum(e.value) AS total
        FROM events AS e
        WHERE e.user_id = g.user_id
            AND e.kind = g.metric_kind
            AND e.occurred_at >= greatest(b.period_start, g.start_date)::timestamp AT TIME ZONE 'UTC'
            AND e.occurred_at < least(b.period_end, g.end_date + 1)::timestamp AT TIME ZONE 'UTC'
    ) AS p
WHERE g.user_id = $1
    AND ($2::timestamptz IS NULL OR (g.created_at, g.id) > ($2, $3::uuid))
    AND ($5::uuid IS NULL OR g.id = $5)
ORDER BY g.created_at ASC, g.id ASC
LIMIT $4;
