-- idempotency/release_key.sql
-- Forgets a key whose request failed on the server side (5xx), so a retry runs
-- again, if the key is still claimed by this request (its claim token): a
-- request that overran the take-over window deletes nothing.
-- Returns TRUE when released, no row otherwise. Index: idempotency_keys_pkey.
-- $1 user_id uuid, $2 idem_key text, $3 claim_token uuid
DELETE FROM idempotency_keys
WHERE
    user_id = $1
    AND idem_key = $2
    AND claim_token = $3
RETURNING TRUE AS released;
