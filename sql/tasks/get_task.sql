-- tasks/get_task.sql
-- One of the caller's tasks; no row when it is missing or someone else's.
-- Serves GET /tasks/{id}. Index: tasks_pkey.
-- $1 user_id uuid, $2 task_id bigint
SELECT id, title, description, completed, created_at, updated_at, version
FROM tasks
WHERE id = $2
    AND user_id = $1;
