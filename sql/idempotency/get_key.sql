-- idempotency/get_key.sql
-- The stored request hash and response of a live key (status_code NULL: still in flight).
-- Serves retries of creating POSTs. Index: idempotency_keys_pkey.
-- $1 user_id uuid, $2 idem_key text
SELECT request_hash, status_code, content_type, response_body
FROM idempotency_keys
WHERE
    user_id = $1
    AND idem_key = $2;
