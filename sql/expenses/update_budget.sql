-- expenses/update_budget.sql
-- PATCH /budgets/{id}: each field changes only when its flag is true.
-- Returns the budget; no row for a missing or another user's id. Index: budgets_pkey.
-- A new category must be the caller's (budgets_category_id_fkey: 422); the end date must
-- not precede the start date (budgets_end_date_chk: 422).
-- $1 user_id uuid, $2 budget_id uuid,
-- $3 set_category bool, $4 category_id uuid, $5 set_amount bool, $6 amount numeric,
-- $7 set_period bool, $8 period text, $9 set_start_date bool, $10 start_date date,
-- $11 set_end_date bool, $12 end_date date,
-- $13 if_match bigint[] (NULL = unconditional; else the row's version must be one of them)
UPDATE budgets
SET
    category_id = CASE WHEN $3 THEN $4 ELSE category_id END,
    amount = CASE WHEN $5 THEN $6 ELSE amount END,
    period = CASE WHEN $7 THEN $8 ELSE period END,
    start_date = CASE WHEN $9 THEN $10 ELSE start_date END,
    end_date = CASE WHEN $11 THEN $12 ELSE end_date END
WHERE id = $2 AND user_id = $1
    AND ($13::bigint[] IS NULL OR $13::bigint[] @> ARRAY[version])
RETURNING id, category_id, amount, period, start_date, end_date, created_at, updated_at, version;
