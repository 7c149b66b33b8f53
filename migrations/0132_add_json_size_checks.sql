-- 0132_add_json_size_checks
-- Bounded data (issue #13 section 2): every jsonb and bytea column gets a size CHECK,
-- pg_column_size(col) <= N (at INSERT/UPDATE time: the uncompressed jsonb/bytea size).
-- The API refuses the same bound first, with a measure that over-estimates this one
-- (service/http/json_size.py; tests/platform/test_json_bounds.py checks both edges).
-- Added NOT VALID (a brief lock, no scan): new writes are checked from now on;
-- 0133 validates the existing rows.  bytea columns that already have an octet_length
-- CHECK (token hashes, encrypted tokens) are bounded already.
-- depends: 0131_create_purge_audit_log
SET lock_timeout = '5s';
SET statement_timeout = '60s';
SET search_path = public, pg_catalog;

ALTER TABLE users ADD CONSTRAINT users_preferences_size_chk CHECK (pg_column_size(preferences) <= 16384) NOT VALID;
ALTER TABLE messages ADD CONSTRAINT messages_thinking_size_chk CHECK (pg_column_size(thinking) <= 65536) NOT VALID;
ALTER TABLE messages ADD CONSTRAINT messages_drawer_data_size_chk CHECK (pg_column_size(drawer_data) <= 65536) NOT VALID;
ALTER TABLE pets ADD CONSTRAINT pets_traits_size_chk CHECK (pg_column_size(traits) <= 16384) NOT VALID;
ALTER TABLE linked_accounts ADD CONSTRAINT linked_accounts_permissions_size_chk CHECK (pg_column_size(permissions) <= 24576) NOT VALID;
ALTER TABLE events_raw ADD CONSTRAINT events_raw_payload_size_chk CHECK (pg_column_size(payload) <= 262144) NOT VALID;
ALTER TABLE events ADD CONSTRAINT events_metadata_size_chk CHECK (pg_column_size(metadata) <= 16384) NOT VALID;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_details_size_chk CHECK (pg_column_size(details) <= 4096) NOT VALID;
ALTER TABLE idempotency_keys ADD CONSTRAINT idempotency_keys_response_body_size_chk CHECK (pg_column_size(response_body) <= 1048580) NOT VALID;

-- At most 100 thinking steps (the API's bound; each step's size is bounded by the API only).
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
