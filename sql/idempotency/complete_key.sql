-- idempotency/complete_key.sql
-- Stores the first request's response under its key, for replay, if the key
-- is still claimed by this request (its claim token): a request that overran
-- the take-over window writes nothing.  Returns TRUE when stored, no row otherwise.
-- Index: idempotency_keys_pkey.
-- $1 user_id uuid, $2 idem_key text, $3 claim_token uuid, $4 status_code int, $5 content_type text,
-- $6 response_body bytea
UPDATE idempotency_keys
SET
    status_code = $4,
    content_type = $5,
    response_body = $6
WHERE
    user_id = $1
    AND idem_key = $2
    AND claim_token = $3
RETURNING TRUE AS stored;
