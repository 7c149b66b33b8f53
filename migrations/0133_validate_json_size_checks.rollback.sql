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

COMMENT ON CONSTRAINT users_preferences_size_chk ON users IS
'API bound: json_size.PREFERENCES_MAX (service/http/json_size.py), refused first with 400/413.';
COMMENT ON CONSTRAINT messages_thinking_size_chk ON messages IS
'API bound: json_size.THINKING_MAX (service/http/json_size.py), refused first with 400/413.';
COMMENT ON CONSTRAINT messages_drawer_data_size_chk ON messages IS
'API bound: json_size.DRAWER_DATA_MAX (service/http/json_size.py), refused first with 400/413.';
COMMENT ON CONSTRAINT pets_traits_size_chk ON pets IS
'API bound: json_size.TRAITS_MAX (service/http/json_size.py), refused first with 400/413.';
COMMENT ON CONSTRAINT linked_accounts_permissions_size_chk ON linked_accounts IS
'API bound: json_size.PERMISSIONS_MAX (service/http/json_size.py), refused first with 400/413.';
COMMENT ON CONSTRAINT events_raw_payload_size_chk ON events_raw IS
'API bound: json_size.PAYLOAD_MAX (service/http/json_size.py), refused first with 400/413.';
COMMENT ON CONSTRAINT events_metadata_size_chk ON events IS
'json_size.METADATA_MAX; server-written from a verified delivery whose strings providers.py bounds.';
COMMENT ON CONSTRAINT audit_log_details_size_chk ON audit_log IS
'json_size.AUDIT_DETAILS_MAX; server-written (ids, names, reasons only).';
COMMENT ON CONSTRAINT idempotency_keys_response_body_size_chk ON idempotency_keys IS
'RESPONSE_MAX (service/idempotency/middleware.py) + the 4-byte bytea header; a larger response is not kept.';
