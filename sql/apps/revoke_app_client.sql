-- apps/revoke_app_client.sql
-- Revokes an active client: its tokens stop working at once (every assistant
-- message's INSERT joins the active client) and the grant refuses it.
-- Returns its id; no row for an unknown or already revoked name.
-- Index: app_clients_name_key.
-- $1 name text
UPDATE app_clients
SET revoked_at = now()
WHERE
    name = $1
    AND revoked_at IS NULL
RETURNING id;
