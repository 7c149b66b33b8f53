-- 0182_validate_messages_tombstone_chk (rollback)
-- Back to the NOT VALID state 0181 left (same CHECK, not yet validated).
SET lock_timeout = '5s';
SET statement_timeout = '60s';
SET search_path = public, pg_catalog;

ALTER TABLE messages DROP CONSTRAINT messages_tombstone_chk;
ALTER TABLE messages ADD CONSTRAINT messages_tombstone_chk
    CHECK ((deleted_at IS NULL) = (content IS NOT NULL)) NOT VALID;
