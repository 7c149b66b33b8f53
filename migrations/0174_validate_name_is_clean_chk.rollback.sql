-- 0174_validate_name_is_clean_chk (rollback)
-- Back to the NOT VALID state 0173 left (same CHECKs, not yet validated).
SET lock_timeout = '5s';
SET search_path = public, pg_catalog;

ALTER TABLE users DROP CONSTRAINT users_display_name_clean_chk;
ALTER TABLE users ADD CONSTRAINT users_display_name_clean_chk CHECK (name_is_clean(display_name)) NOT VALID;
ALTER TABLE chats DROP CONSTRAINT chats_title_clean_chk;
ALTER TABLE chats ADD CONSTRAINT chats_title_clean_chk CHECK (name_is_clean(title)) NOT VALID;
ALTER TABLE categories DROP CONSTRAINT categories_name_clean_chk;
ALTER TABLE categories ADD CONSTRAINT categories_name_clean_chk CHECK (name_is_clean(name)) NOT VALID;
ALTER TABLE pets DROP CONSTRAINT pets_name_clean_chk;
ALTER TABLE pets ADD CONSTRAINT pets_name_clean_chk CHECK (name_is_clean(name)) NOT VALID;
