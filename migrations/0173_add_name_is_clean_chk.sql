-- 0173_add_name_is_clean_chk
-- Names that mean one thing (issue #18): the rule of service/http/names.py
-- (trimmed and not blank; no control, bidi-override/isolate, zero-width,
-- soft-hyphen or line/paragraph-separator characters; Unicode NFC) as one
-- IMMUTABLE function, called by a CHECK on every name column: users.display_name,
-- chats.title, categories.name, pets.name.  The CHECKs are added NOT VALID (no
-- scan under the ACCESS EXCLUSIVE lock) and validated by 0174 in their own
-- transaction; rows that break the rule must be fixed before 0174 runs.
-- depends: 0172_create_quest_daily_xp
SET lock_timeout = '5s';
SET statement_timeout = '60s';
SET search_path = public, pg_catalog;

CREATE FUNCTION name_is_clean(name text) RETURNS boolean
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
RETURNS NULL ON NULL INPUT
AS $$
    SELECT name ~ '^[^\x01-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff[:space:]]([^\x01-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff]*[^\x01-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff[:space:]])?$'
        AND name IS NFC NORMALIZED
$$;

COMMENT ON FUNCTION name_is_clean(text) IS
    'The name rule of service/http/names.py: trimmed, not blank, no control/bidi/zero-width characters, NFC.';

ALTER TABLE users ADD CONSTRAINT users_display_name_clean_chk CHECK (name_is_clean(display_name)) NOT VALID;
ALTER TABLE chats ADD CONSTRAINT chats_title_clean_chk CHECK (name_is_clean(title)) NOT VALID;
ALTER TABLE categories ADD CONSTRAINT categories_name_clean_chk CHECK (name_is_clean(name)) NOT VALID;
ALTER TABLE pets ADD CONSTRAINT pets_name_clean_chk CHECK (name_is_clean(name)) NOT VALID;
