-- tasks/delete_task.sql
-- Deletes one of the caller's tasks; returns its id, no row when it is missing,
-- someone else's or at another version than If-Match names.
-- Serves DELETE /tasks/{id}. Index: tasks_pkey.
-- $1 user_id uuid, $2 task_id bigint, $3 if_match bigint[] (NULL = unconditional)
DELETE FROM tasks
WHERE id = $2
    AND user_id = $1
    AND ($3::bigint[] IS NULL OR $3::bigint[] @> ARRAY[version])
RETURNING id;
