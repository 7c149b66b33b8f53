-- tasks/delete_task.sql
-- Deletes one of the caller's tasks; returns its id, no row when it is missing or someone else's.
-- Serves DELETE /tasks/{id}. Index: tasks_pkey.
-- $1 user_id uuid, $2 task_id bigint
DELETE FROM tasks
WHERE id = $2
    AND user_id = $1
RETURNING id;
