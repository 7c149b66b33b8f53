-- tasks/list_tasks_by_completed.sql
-- The caller's completed (or open) tasks, newest first, after a keyset cursor.
-- Serves GET /tasks?completed=true|false.
-- Index: tasks_user_id_completed_id_idx (user_id, completed, id DESC).
-- The cursor (and any optional bound) is written col < coalesce($n, <largest value>), not
-- ($n IS NULL OR col < $n): a prepared statement's generic plan can use the former as an index
-- condition; the latter becomes a filter, and a deep page reads every newer row first.
-- $1 user_id uuid, $2 completed bool, $3 before_id bigint (NULL = first page), $4 limit int
SELECT id, title, description, completed, created_at, updated_at, version
FROM tasks
WHERE user_id = $1
    AND completed = $2
    AND id < coalesce($3::bigint, 9223372036854775807)
ORDER BY id DESC
LIMIT $4;
