-- apps/list_app_clients.sql
-- Every app client, revoked ones included, by name (python -m service apps list).
-- A handful of rows: a sequential scan. Index: none needed (app_clients_name_key orders it).
SELECT
    id,
    name,
    scopes,
    created_at,
    rotated_at,
    previous_secret_expires_at,
    revoked_at
FROM app_clients
ORDER BY name;
