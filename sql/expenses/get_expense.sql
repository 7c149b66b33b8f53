-- expenses/get_expense.sql
-- One of the caller's expenses; no row for a missing or another user's id.
-- Serves GET /expenses/{id}. Index: expenses_pkey.
-- $1 user_id uuid, $2 expense_id uuid
SELECT id, category_id, amount, spent_on, description, payment_method, tags, notes, receipt_url, created_at, updated_at, version
FROM expenses
WHERE id = $2 AND user_id = $1;
