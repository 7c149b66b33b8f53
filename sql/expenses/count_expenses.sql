-- expenses/count_expenses.sql
-- How many expenses the user has (db seed adds demo expenses only to a user with none).
-- Index: expenses_user_id_spent_on_idx.
-- $1 user_id uuid
SELECT count(*)::integer AS n
FROM expenses
WHERE user_id = $1;
