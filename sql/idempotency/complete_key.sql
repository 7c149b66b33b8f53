-- idempotency/complete_key.sql
-- Stores the first request's response under its key, for replay.
-- Index: idempotency_keys_pkey.
-- $1 user_id uuid, $2 idem_key text, $3 status_code int, $4 content_type text, $5 response_body bytea
UPDATE idempotency_keys
SET
    status_code = $3,
    content_type = $4,
    response_body = $5
WHERE
    user_id = $1
    AND idem_key = $2;
