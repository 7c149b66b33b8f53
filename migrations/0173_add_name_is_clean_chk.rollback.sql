-- 0173_add_name_is_clean_chk (rollback)
SET lock_timeout = '5s';
SET statement_timeout = '60s';
SET search_path = public, pg_catalog;

ALTER TABLE pets DROP CONSTRAINT pets_name_clean_chk;
ALTER TABLE categories DROP CONSTRAINT categories_name_clean_chk;
ALTER TABLE chats DROP CONSTRAINT chats_title_clean_chk;
ALTER TABLE users DROP CONSTRAINT users_display_name_clean_chk;
DROP FUNCTION name_is_clean(text);
