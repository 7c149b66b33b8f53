-- 0133_validate_json_size_checks (rollback)
-- Back to the NOT VALID state 0132 left (same CHECKs, not yet validated).
SET lock_timeout = '5s';

ALTER TABLE users DROP CONSTRAINT users_preferences_size_chk;
ALTER TABLE users ADD CONSTRAINT users_preferences_size_chk CHECK (pg_column_size(preferences) <= 16384) NOT VALID;
ALTER TABLE messages DROP CONSTRAINT messages_thinking_size_chk;
ALTER TABLE messages ADD CONSTRAINT messages_thinking_size_chk CHECK (pg_column_size(thinking) <= 65536) NOT VALID;
ALTER TABLE messages DROP CONSTRAINT messages_drawer_data_size_chk;
ALTER TABLE messages ADD CONSTRAINT messages_drawer_data_size_chk CHECK (pg_column_size(drawer_data) <= 65536) NOT VALID;
ALTER TABLE pets DROP CONSTRAINT pets_traits_size_chk;
ALTER TABLE pets ADD CONSTRAINT pets_traits_size_chk CHECK (pg_column_size(traits) <= 16384) NOT VALID;
ALTER TABLE linked_accounts DROP CONSTRAINT linked_accounts_permissions_size_chk;
ALTER TABLE linked_accounts ADD CONSTRAINT linked_accounts_permissions_size_chk CHECK (pg_column_size(permissions) <= 24576) NOT VALID;
ALTER TABLE events_raw DROP CONSTRAINT events_raw_payload_size_chk;
ALTER TABLE events_raw ADD CONSTRAINT events_raw_payload_size_chk CHECK (pg_column_size(payload) <= 262144) NOT VALID;
ALTER TABLE events DROP CONSTRAINT events_metadata_size_chk;
ALTER TABLE events ADD CONSTRAINT events_metadata_size_chk CHECK (pg_column_size(metadata) <= 16384) NOT VALID;
ALTER TABLE audit_log DROP CONSTRAINT audit_log_details_size_chk;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_details_size_chk CHECK (pg_column_size(details) <= 4096) NOT VALID;
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_response_body_size_chk;
ALTER TABLE idempotency_keys ADD CONSTRAINT idempotency_keys_response_body_size_chk CHECK (pg_column_size(response_body) <= 1048580) NOT VALID;
ALTER TABLE messages DROP CONSTRAINT messages_thinking_items_chk;
ALTER TABLE messages ADD CONSTRAINT messages_thinking_items_chk CHECK (CASE WHEN jsonb_typeof(thinking) = 'array' THEN jsonb_array_length(thinking) <= 100 ELSE FALSE END) NOT VALID;
