-- Rollback of 0080_create_idempotency_keys.
SET lock_timeout = '5s';

DROP TABLE idempotency_keys;
