-- 0175_add_categories_name_key (rollback)
SET lock_timeout = '5s';
SET statement_timeout = '60s';
SET search_path = public, pg_catalog;

ALTER TABLE categories DROP CONSTRAINT categories_name_key_chk;
ALTER TABLE categories DROP COLUMN name_key;
