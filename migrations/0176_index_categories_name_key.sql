-- 0176_index_categories_name_key
-- The unique index on (user_id, name_key) that 0175 prepared, built without
-- blocking writes; then the lower()-based index goes (the new one is in place
-- first: there is no moment without a uniqueness rule) and 0175's CHECK is
-- validated.  Non-transactional (CONCURRENTLY); an interrupted build leaves an
-- INVALID index, which the DROP ... IF EXISTS before the build removes on a re-run.
-- transactional: false
-- squawk-disable-assume-in-transaction
-- depends: 0175_add_categories_name_key
SET lock_timeout = '5s';
SET statement_timeout = '600s';
SET search_path = public, pg_catalog;

-- The build may take long on a big table; it holds no lock that blocks traffic.
SET statement_timeout = 0;
DROP INDEX CONCURRENTLY IF EXISTS categories_user_id_name_key_key;
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS categories_user_id_name_key_key
ON categories (user_id, name_key);
DROP INDEX CONCURRENTLY IF EXISTS categories_user_id_name_lower_key;
ALTER TABLE categories VALIDATE CONSTRAINT categories_name_key_chk;
