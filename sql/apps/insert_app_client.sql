-- apps/insert_app_client.sql
-- Creates an app client (python -m service apps create); returns the new row.
-- A taken name is a unique violation (app_clients_name_key). Index: app_clients_name_key.
-- $1 name text, $2 secret_hash text, $3 scopes text[]
INSERT INTO app_clients (name, secret_hash, scopes)
VALUES ($1, $2, $3)
RETURNING id, name, scopes, created_at, rotated_at, previous_secret_expires_at, revoked_at;
