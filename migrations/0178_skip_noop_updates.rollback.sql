-- Rollback of 0178_skip_noop_updates: every UPDATE stamps updated_at and bumps version again.
SET lock_timeout = '5s';

CREATE OR REPLACE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE OR REPLACE FUNCTION bump_version() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    NEW.version := OLD.version + 1;
    RETURN NEW;
END;
$$;

COMMENT ON FUNCTION set_updated_at() IS
    'BEFORE UPDATE trigger: stamps updated_at with the transaction time.';
COMMENT ON FUNCTION bump_version() IS
    'BEFORE UPDATE trigger: version = previous version + 1 (ETag / If-Match source).';
