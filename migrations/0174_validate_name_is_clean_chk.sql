-- 0174_validate_name_is_clean_chk
-- Validates the name CHECKs 0173 added NOT VALID (each a scan under SHARE
-- UPDATE EXCLUSIVE: reads and writes go on meanwhile).
-- depends: 0173_add_name_is_clean_chk
SET lock_timeout = '5s';
SET statement_timeout = '600s';
SET search_path = public, pg_catalog;

ALTER TABLE users VALIDATE CONSTRAINT users_display_name_clean_chk;
ALTER TABLE chats VALIDATE CONSTRAINT chats_title_clean_chk;
ALTER TABLE categories VALIDATE CONSTRAINT categories_name_clean_chk;
ALTER TABLE pets VALIDATE CONSTRAINT pets_name_clean_chk;
