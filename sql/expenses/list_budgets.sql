-- expenses/list_budgets.sql
-- The caller's budgets, latest start first (start_date DESC, id DESC), after a keyset cursor.
-- Serves GET /budgets. Index: budgets_user_id_start_date_idx (user_id, start_date DESC, id DESC).
-- $1 user_id uuid, $2 before_start_date date|NULL, $3 before_id uuid|NULL (the cursor), $4 limit int
SELECT id, category_id, amount, period, start_date, end_date, created_at, updated_at, version
FROM budgets
WHERE
    user_id = $1
    AND (start_date, id) < (
        coalesce($2::date, 'infinity'::date),
        coalesce($3::uuid, 'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid)
    )
ORDER BY start_date DESC, id DESC
LIMIT $4;
