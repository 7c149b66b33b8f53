-- 0175_add_categories_name_key
-- Case-insensitive uniqueness of category names that holds for Unicode (issue #18):
-- lower() is not case folding (lower('STRASSE') <> lower('Straße')) and the embedded
-- server has no ICU for a nondeterministic collation, so the key is computed by the
-- service (service/http/names.py name_key: Python casefold() of the NFC name) and
-- stored; 0176 builds its unique index and drops categories_user_id_name_lower_key.
-- Existing rows are backfilled with lower(name): equal to casefold() for the ASCII
-- names the service has created so far (the defaults), and unique because the old
-- index was; a rename recomputes the key.  The CHECK is validated by 0176.
-- depends: 0174_validate_name_is_clean_chk
SET lock_timeout = '5s';
SET statement_timeout = '60s';
SET search_path = public, pg_catalog;

ALTER TABLE categories ADD COLUMN name_key text;

UPDATE categories SET name_key = lower(name);

ALTER TABLE categories ADD CONSTRAINT categories_name_key_chk
CHECK (name_key IS NOT NULL AND char_length(name_key) BETWEEN 1 AND 400) NOT VALID;

COMMENT ON COLUMN categories.name_key IS
'casefold() of the NFC name, computed by the service (names.name_key); unique per user.';
