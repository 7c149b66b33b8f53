-- 0176_index_categories_name_key
-- The unique index on (user_id, name_key) that 0175 prepared, built without
-- blocking writes; then the lower()-based index goes (the new one is in place
-- first: there is no moment without a uniqueness rule) and 0175's CHECK is
-- validated.
-- transactional: false
-- depends: 0175_add_categories_name_key
SET lock_timeout = '5s';
SET statement_timeout = '600s';
SET search_path = public, pg_catalog;

-- yoyo runs this file outside a transaction (transactional: false above), as CONCURRENTLY needs.
-- squawk-ignore ban-concurrent-index-creation-in-transaction
CREATE UNIQUE INDEX CONCURRENTLY categories_user_id_name_key_key ON categories (user_id, name_key);
DROP INDEX CONCURRENTLY categories_user_id_name_lower_key;
ALTER TABLE categories VALIDATE CONSTRAINT categories_name_key_chk;
