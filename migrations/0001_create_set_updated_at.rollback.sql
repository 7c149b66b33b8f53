-- Rollback of 0001_create_set_updated_at.
SET lock_timeout = '5s';

DROP FUNCTION set_updated_at();
