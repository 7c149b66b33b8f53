-- 0001_create_set_updated_at
-- The trigger function every table with an updated_at column uses, so the
-- column is kept by the database and never by application code.
-- depends:
SET lock_timeout = '5s';
SET statement_timeout = '60s';

CREATE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

COMMENT ON FUNCTION set_updated_at() IS
    'BEFORE UPDATE trigger: stamps updated_at with the transaction time.';
