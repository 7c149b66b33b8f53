-- 0132_add_json_size_checks (rollback)
SET lock_timeout = '5s';

ALTER TABLE users DROP CONSTRAINT users_preferences_size_chk;
ALTER TABLE messages DROP CONSTRAINT messages_thinking_size_chk;
ALTER TABLE messages DROP CONSTRAINT messages_drawer_data_size_chk;
ALTER TABLE pets DROP CONSTRAINT pets_traits_size_chk;
ALTER TABLE linked_accounts DROP CONSTRAINT linked_accounts_permissions_size_chk;
ALTER TABLE events_raw DROP CONSTRAINT events_raw_payload_size_chk;
ALTER TABLE events DROP CONSTRAINT events_metadata_size_chk;
ALTER TABLE audit_log DROP CONSTRAINT audit_log_details_size_chk;
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_response_body_size_chk;
ALTER TABLE messages DROP CONSTRAINT messages_thinking_items_chk;
