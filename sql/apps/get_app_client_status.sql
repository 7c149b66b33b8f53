-- apps/get_app_client_status.sql
-- Whether a client exists, is active and has the chat:assistant scope: the
-- failure path of an assistant message that wrote no row (401 revoked, 403
-- scope, else the chat was not found). No row for an unknown (purged) client.
-- Index: app_clients_pkey.
-- $1 client_id uuid
SELECT
    revoked_at IS NULL AS active,
    scopes @> ARRAY['chat:assistant']::text[] AS may_post_assistant
FROM app_clients
WHERE id = $1;
