-- 0133_validate_json_size_checks
-- Validates the size CHECKs 0132 added NOT VALID: a scan of each table under SHARE UPDATE
-- EXCLUSIVE (reads and writes go on).  A row stored before 0132 that is larger fails its
-- VALIDATE, naming the constraint; find such rows first with e.g.
--   SELECT id FROM messages WHERE pg_column_size(thinking) > 65536;
-- (pg_column_size of a stored value is its compressed size: only truly large rows fail).
-- depends: 0132_add_json_size_checks
SET lock_timeout = '5s';
SET statement_timeout = '600s';
SET search_path = public, pg_catalog;

ALTER TABLE users VALIDATE CONSTRAINT users_preferences_size_chk;
ALTER TABLE messages VALIDATE CONSTRAINT messages_thinking_size_chk;
ALTER TABLE messages VALIDATE CONSTRAINT messages_drawer_data_size_chk;
ALTER TABLE pets VALIDATE CONSTRAINT pets_traits_size_chk;
ALTER TABLE linked_accounts VALIDATE CONSTRAINT linked_accounts_permissions_size_chk;
ALTER TABLE events_raw VALIDATE CONSTRAINT events_raw_payload_size_chk;
ALTER TABLE events VALIDATE CONSTRAINT events_metadata_size_chk;
ALTER TABLE audit_log VALIDATE CONSTRAINT audit_log_details_size_chk;
ALTER TABLE idempotency_keys VALIDATE CONSTRAINT idempotency_keys_response_body_size_chk;
ALTER TABLE messages VALIDATE CONSTRAINT messages_thinking_items_chk;
