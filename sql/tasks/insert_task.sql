-- tasks/insert_task.sql
-- Creates a task for the caller; returns it.
-- Serves POST /tasks. Index: tasks_pkey (identity id).
-- $1 user_id uuid, $2 title text, $3 description text (NULL = none)
INSERT INTO tasks (user_id, title, description)
VALUES ($1, $2, $3)
RETURNING id, title, description, completed, created_at, updated_at, version;
