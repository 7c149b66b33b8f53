-- quest/goal_history.sql
-- One of the caller's goals, period by period (newest first, before a cursor):
-- each UTC period (day, ISO week from Monday, month) from the one holding
-- start_date to the current one (or the one holding end_date), with the
-- progress summed from events when read, clipped to [start_date, end_date],
-- and whether it met the target.  Nothing is stored, so nothing can drift.
-- No rows for another user's goal, or before the goal starts.
-- Serves GET /goals/{id}/history. Indexes: goals_pkey; the sums use
-- events_user_id_kind_occurred_at_idx (an index-only range scan per period).
-- $1 user_id uuid, $2 goal_id uuid, $3 before date (NULL = from the current period), $4 limit int
WITH g AS (
    SELECT
        id,
        user_id,
        metric_kind,
        target,
        start_date,
        end_date,
        CASE period WHEN 'daily' THEN 'day' WHEN 'weekly' THEN 'week' ELSE 'month' END AS unit,
        CASE period
            WHEN 'daily' THEN interval '1 day'
            WHEN 'weekly' THEN interval '7 days'
            ELSE interval '1 month'
        END AS step
    FROM goals
    WHERE
        id = $2
        AND user_id = $1
),

periods AS (
    SELECT
        g.user_id,
        g.metric_kind,
        g.target,
        g.start_date,
        g.end_date,
        s.s::date AS period_start,
        (s.s + g.step)::date AS period_end
    FROM g
    CROSS JOIN
        LATERAL generate_series(
            least(
                date_trunc(g.unit, now() AT TIME ZONE 'UTC'),
                date_trunc(g.unit, coalesce(g.end_date, 'infinity'::date)::timestamp)
            ),
            date_trunc(g.unit, g.start_date::timestamp),
            -g.step
        ) AS s (s)
    WHERE s.s < coalesce($3::date, 'infinity'::date)::timestamp
    ORDER BY s.s DESC
    LIMIT $4
)

SELECT
    p.period_start,
    p.period_end,
    coalesce(t.total, 0)::bigint AS progress,
    p.target,
    coalesce(t.total, 0) >= p.target AS met
FROM periods AS p
CROSS JOIN
    LATERAL (
        SELECT sum(e.value) AS total
        FROM events AS e
        WHERE
            e.user_id = p.user_id
            AND e.kind = p.metric_kind
            AND e.occurred_at >= greatest(p.period_start, p.start_date)::timestamp AT TIME ZONE 'UTC'
            AND e.occurred_at < least(p.period_end, p.end_date + 1)::timestamp AT TIME ZONE 'UTC'
    ) AS t
ORDER BY p.period_start DESC;
