-- 0176_index_categories_name_key (rollback)
-- Back to lower()-based uniqueness (fails if two names differ only by case folding)
-- and to the NOT VALID CHECK 0175 left.
-- transactional: false
SET lock_timeout = '5s';
SET statement_timeout = '600s';
SET search_path = public, pg_catalog;

CREATE UNIQUE INDEX CONCURRENTLY categories_user_id_name_lower_key ON categories (user_id, lower(name));
DROP INDEX CONCURRENTLY categories_user_id_name_key_key;
ALTER TABLE categories DROP CONSTRAINT categories_name_key_chk;
ALTER TABLE categories ADD CONSTRAINT categories_name_key_chk
CHECK (name_key IS NOT NULL AND char_length(name_key) BETWEEN 1 AND 400) NOT VALID;
