-- expenses/delete_budget.sql
-- Deletes one of the caller's budgets. Returns its id; no row for a missing or another user's id.
-- Serves DELETE /budgets/{id}. Index: budgets_pkey.
-- $1 user_id uuid, $2 budget_id uuid, $3 if_match bigint[] (NULL = unconditional)
DELETE FROM budgets
WHERE id = $2 AND user_id = $1
    AND ($3::bigint[] IS NULL OR $3::bigint[] @> ARRAY[version])
RETURNING id;
