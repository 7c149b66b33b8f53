-- apps/get_app_client_secrets.sql
-- The secret hashes and scopes of an active client, for the client-credentials
-- grant: the current hash, and the previous one only while its grace period
-- runs.  No row for an unknown or revoked client. Index: app_clients_pkey.
-- $1 client_id uuid
SELECT
    id,
    name,
    secret_hash,
    CASE WHEN previous_secret_expires_at > now() THEN previous_secret_hash END AS previous_secret_hash,
    scopes
FROM app_clients
WHERE
    id = $1
    AND revoked_at IS NULL;
