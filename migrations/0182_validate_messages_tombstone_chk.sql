-- 0182_validate_messages_tombstone_chk
-- Validates the tombstone CHECK that 0181 added NOT VALID (a scan under
-- SHARE UPDATE EXCLUSIVE: reads and writes go on meanwhile).
-- depends: 0181_add_message_edits
SET lock_timeout = '5s';
SET statement_timeout = '600s';
SET search_path = public, pg_catalog;

ALTER TABLE messages VALIDATE CONSTRAINT messages_tombstone_chk;
