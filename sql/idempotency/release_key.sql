-- idempotency/release_key.sql
-- Forgets a key whose request failed on the server side (5xx), so a retry runs again.
-- Index: idempotency_keys_pkey.
-- $1 user_id uuid, $2 idem_key text
DELETE FROM idempotency_keys
WHERE
    user_id = $1
    AND idem_key = $2;
