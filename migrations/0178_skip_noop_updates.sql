-- 0178_skip_noop_updates
-- An UPDATE that changes nothing (every column equal, byte for byte, to the
-- row before: record image equality *=) keeps updated_at and version: a
-- retried or repeated PATCH leaves the ETag and Last-Modified as they were.
-- Both BEFORE UPDATE triggers apply the same test to the whole row, so the
-- outcome does not depend on their firing order (by name: bump_version
-- first): on a no-op neither changes NEW, so each sees NEW *= OLD; on a real
-- change both fire.  A statement that sets updated_at itself (post_message
-- moving a chat's updated_at) is a change.  The row is still written (the
-- UPDATE's RETURNING and row count are unchanged); only the stamps are kept.
-- depends: 0177_audit_log_append_only
SET lock_timeout = '5s';
SET statement_timeout = '60s';
SET search_path = public, pg_catalog;

CREATE OR REPLACE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF NEW *= OLD THEN
        RETURN NEW;
    END IF;
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE OR REPLACE FUNCTION bump_version() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF NEW *= OLD THEN
        RETURN NEW;
    END IF;
    NEW.version := OLD.version + 1;
    RETURN NEW;
END;
$$;

COMMENT ON FUNCTION set_updated_at() IS
    'BEFORE UPDATE trigger: stamps updated_at with the transaction time, unless the UPDATE changes nothing.';
COMMENT ON FUNCTION bump_version() IS
    'BEFORE UPDATE trigger: version = previous version + 1 (ETag / If-Match source), unless the UPDATE changes nothing.';
