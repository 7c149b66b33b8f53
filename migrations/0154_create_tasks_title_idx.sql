-- 0154_create_tasks_title_idx
-- Serves GET /tasks?q= (tasks/search_tasks.sql): a GIN index of the caller's
-- id (btree_gin) and the title's trigrams (pg_trgm), so that a search for a
-- term of three characters or more among many tasks reads only the matching
-- rows of that user.  Built CONCURRENTLY (tasks is a live table), hence a
-- non-transactional migration of its own.  Plans: docs/plans.md
-- (tasks/search_tasks); tests/tasks/test_batch_and_search.py checks the index is used.
-- transactional: false
-- depends: 0153_create_trigram_extensions
SET lock_timeout = '5s';
SET statement_timeout = '1h';
SET search_path = public, pg_catalog;

-- No IF NOT EXISTS: a failed concurrent build leaves an INVALID index, which must be dropped
-- (DROP INDEX CONCURRENTLY tasks_user_id_title_idx) and built again, not silently kept.
-- yoyo runs this file outside a transaction (transactional: false above); squawk assumes one.
-- squawk-ignore ban-concurrent-index-creation-in-transaction
CREATE INDEX CONCURRENTLY tasks_user_id_title_idx ON tasks USING gin (user_id, title gin_trgm_ops);
