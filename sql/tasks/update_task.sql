-- tasks/update_task.sql
-- PATCH /tasks/{id}: each field changes only when its flag is true (so NULL can be set on purpose).
-- Returns the task; no row when it is missing, someone else's, or at another version than If-Match names. Index: tasks_pkey.
-- $1 user_id uuid, $2 task_id bigint,
-- $3 set_title bool, $4 title text,
-- $5 set_description bool, $6 description text,
-- $7 set_completed bool, $8 completed bool,
-- $9 if_match bigint[] (NULL = unconditional; else the row's version must be one of them)
UPDATE tasks
SET
    title = CASE WHEN $3 THEN $4 ELSE title END,
    description = CASE WHEN $5 THEN $6 ELSE description END,
    completed = CASE WHEN $7 THEN $8 ELSE completed END
WHERE id = $2
    AND user_id = $1
    AND ($9::bigint[] IS NULL OR $9::bigint[] @> ARRAY[version])
RETURNING id, title, description, completed, created_at, updated_at, version;
