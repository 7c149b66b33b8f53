-- 0190_add_users_deleted_at (rollback)
SET lock_timeout = '5s';
SET statement_timeout = '60s';
SET search_path = public, pg_catalog;

ALTER TABLE users DROP COLUMN deleted_at;
