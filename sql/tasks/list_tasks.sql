-- tasks/list_tasks.sql
-- The caller's tasks, newest first (highest id first), after a keyset cursor.
-- Serves GET /tasks without ?completed. Index: tasks_user_id_id_idx (user_id, id DESC).
-- $1 user_id uuid, $2 before_id bigint (NULL = first page), $3 limit int
SELECT id, title, description, completed, created_at, updated_at, version
FROM tasks
WHERE user_id = $1
    AND ($2::bigint IS NULL OR id < $2)
ORDER BY id DESC
LIMIT $3;
