-- idempotency/claim_key.sql
-- Claims an Idempotency-Key for a new request: inserts it, or takes over an
-- expired key or one whose first request was abandoned in flight (no
-- response after 60 s).  Returns the claim's new token (complete_key and
-- release_key must present it); no row when the key is live and belongs to
-- an earlier request (then read it with get_key).
-- Serves every creating POST sent with Idempotency-Key. Index: idempotency_keys_pkey.
-- $1 user_id uuid, $2 idem_key text, $3 request_hash bytea, $4 ttl_seconds int
INSERT INTO idempotency_keys AS k (user_id, idem_key, request_hash, expires_at, claim_token)
VALUES ($1, $2, $3, now() + make_interval(secs => $4::integer), gen_random_uuid())
ON CONFLICT (user_id, idem_key) DO UPDATE
    SET
        request_hash = excluded.request_hash,
        status_code = NULL,
        content_type = NULL,
        response_body = NULL,
        created_at = now(),
        expires_at = excluded.expires_at,
        claim_token = excluded.claim_token
    -- only an expired key, or one abandoned in flight, may be taken over
    WHERE k.expires_at < now() OR (k.status_code IS NULL AND k.created_at < now() - interval '60 seconds')
RETURNING k.claim_token;
