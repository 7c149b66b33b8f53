-- expenses/insert_budget.sql
-- Creates one of the caller's budgets. Returns the budget.
-- Serves POST /budgets. A category must be the caller's: budgets_category_id_fkey
-- ((category_id, user_id) -> categories) refuses another user's category (422).
-- $1 user_id uuid, $2 category_id uuid|NULL (NULL = all spending), $3 amount numeric,
-- $4 period text, $5 start_date date, $6 end_date date|NULL
INSERT INTO budgets (user_id, category_id, amount, period, start_date, end_date)
VALUES ($1, $2, $3, $4, $5, $6)
RETURNING id, category_id, amount, period, start_date, end_date, created_at, updated_at, version;
