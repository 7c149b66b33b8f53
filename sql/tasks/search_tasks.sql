-- tasks/search_tasks.sql
-- The caller's tasks whose title contains a term (case-insensitive; the
-- term's % _ and \ match themselves), newest first, after a keyset cursor.
-- Serves GET /tasks?q=. Indexes: tasks_user_id_title_idx (GIN: user_id and
-- the title's trigrams, migration 0184) when the caller has many tasks and
-- the term is selective; for a few dozen tasks the planner rightly walks
-- tasks_user_id_id_idx (user_id, id DESC) and filters (docs/plans.md).
-- $1 user_id uuid, $2 q text (1..100 characters), $3 completed boolean (NULL = both),
-- $4 before_id bigint (NULL = first page), $5 limit int
SELECT id, title, description, completed, created_at, updated_at, version
FROM tasks
WHERE user_id = $1
    AND title ILIKE '%' || replace(replace(replace($2::text, '\', '\\'), '%', '\%'), '_', '\_') || '%'
    AND ($3::boolean IS NULL OR completed = $3)
    AND id < coalesce($4::bigint, 9223372036854775807)
ORDER BY id DESC
LIMIT $5;
