-- 0184_create_tasks_title_idx (rollback)
-- transactional: false
SET lock_timeout = '5s';
SET statement_timeout = '60s';
SET search_path = public, pg_catalog;

DROP INDEX CONCURRENTLY tasks_user_id_title_idx;
