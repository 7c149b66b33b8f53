-- expenses/get_budget.sql
-- One of the caller's budgets; no row for a missing or another user's id.
-- Serves GET /budgets/{id}. Index: budgets_pkey.
-- $1 user_id uuid, $2 budget_id uuid
SELECT id, category_id, amount, period, start_date, end_date, created_at, updated_at, version
FROM budgets
WHERE id = $2 AND user_id = $1;
