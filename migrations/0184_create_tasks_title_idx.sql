-- 0184_create_tasks_title_idx
-- Serves GET /tasks?q= (tasks/search_tasks.sql): a GIN index of the caller's
-- id (btree_gin) and the title's trigrams (pg_trgm), so that a search for a
-- term of three characters or more among many tasks reads only the matching
-- rows of that user.  Built CONCURRENTLY (tasks is a live table), hence a
-- non-transactional migration of its own.  Plans: docs/plans.md
-- (tasks/search_tasks); tests/tasks/test_batch_and_search.py checks an index of the caller's rows serves it.
-- transactional: false
-- squawk-disable-assume-in-transaction
-- depends: 0183_create_trigram_extensions
SET lock_timeout = '5s';
SET statement_timeout = '60s';
SET search_path = public, pg_catalog;

-- The build may take long on a big table; it holds no lock that blocks traffic.  An
-- interrupted build leaves an INVALID index: the DROP ... IF EXISTS removes it on a re-run.
SET statement_timeout = 0;
DROP INDEX CONCURRENTLY IF EXISTS tasks_user_id_title_idx;
CREATE INDEX CONCURRENTLY IF NOT EXISTS tasks_user_id_title_idx
ON tasks USING gin (user_id, title gin_trgm_ops);
