-- 0080_create_idempotency_keys
-- Safe retries: the first response to a creating POST sent with an
-- Idempotency-Key header is kept here, so a retry with the same key and the
-- same body replays it instead of creating a second row.  A row with no
-- status_code is a request still in flight.
-- depends: 0004_create_audit_log
SET lock_timeout = '5s';
SET statement_timeout = '60s';

CREATE TABLE idempotency_keys (
    user_id uuid NOT NULL,
    idem_key text NOT NULL,
    request_hash bytea NOT NULL,
    -- an HTTP status, 100..599 by its CHECK: integer is plenty.
    -- squawk-ignore prefer-bigint-over-int
    status_code integer,
    content_type text,
    response_body bytea,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    CONSTRAINT idempotency_keys_pkey PRIMARY KEY (user_id, idem_key),
    CONSTRAINT idempotency_keys_user_id_fkey FOREIGN KEY (user_id)
        REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT idempotency_keys_idem_key_chk CHECK (char_length(idem_key) BETWEEN 1 AND 255),
    CONSTRAINT idempotency_keys_request_hash_chk CHECK (octet_length(request_hash) = 32),
    CONSTRAINT idempotency_keys_status_code_chk CHECK (status_code BETWEEN 100 AND 599),
    CONSTRAINT idempotency_keys_content_type_chk CHECK (char_length(content_type) <= 255),
    CONSTRAINT idempotency_keys_expires_at_chk CHECK (expires_at > created_at)
);

-- The table is created empty in this migration: nothing to block, no need for CONCURRENTLY.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX idempotency_keys_expires_at_idx ON idempotency_keys (expires_at);

COMMENT ON TABLE idempotency_keys IS
'Responses to creating POSTs by (user, Idempotency-Key), replayed on retry until expires_at.';
COMMENT ON COLUMN idempotency_keys.request_hash IS
'SHA-256 of method, path and body: the same key with another request is refused (422).';
COMMENT ON COLUMN idempotency_keys.content_type IS 'Content-Type of the stored response (a media type, not an enum).';
COMMENT ON COLUMN idempotency_keys.status_code IS 'NULL while the first request is still in flight.';
