-- quest/delete_goal.sql
-- Deletes one of the caller's goals; returns its id (no row: missing or another user's).
-- Serves DELETE /goals/{id}. Index: goals_pkey.
-- $1 user_id uuid, $2 goal_id uuid, $3 if_match bigint[] (NULL = unconditional)
DELETE FROM goals
WHERE id = $2
    AND user_id = $1
    AND ($3::bigint[] IS NULL OR $3::bigint[] @> ARRAY[version])
RETURNING id;
