-- tasks/insert_tasks.sql
-- Creates several tasks for the caller in one statement (all or none: a bad
-- row fails the statement), in the order given; returns them.
-- Serves POST /tasks/batch. Index: tasks_pkey (identity ids, ascending in the given order).
-- $1 user_id uuid, $2 titles text[], $3 descriptions text[] (NULL elements = none)
INSERT INTO tasks (user_id, title, description)
SELECT
    $1::uuid AS user_id,
    t.title,
    t.description
FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS t (title, description, n)
ORDER BY t.n
RETURNING id, title, description, completed, created_at, updated_at, version;
