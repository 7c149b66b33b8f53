-- apps/rotate_app_secret.sql
-- Rotates an active client's secret: the current one becomes the previous,
-- valid for the grace period, the new one is current.  Two rotations at once
-- serialise on the row lock; the second keeps the first's secret as previous.
-- Returns the client's id and the previous secret's expiry; no row for an unknown
-- or revoked name. Index: app_clients_name_key.
-- $1 name text, $2 new_secret_hash text, $3 grace_seconds int
UPDATE app_clients
SET
    previous_secret_hash = secret_hash,
    previous_secret_expires_at = now() + make_interval(secs => $3::integer),
    secret_hash = $2,
    rotated_at = now()
WHERE
    name = $1
    AND revoked_at IS NULL
RETURNING id, previous_secret_expires_at;
