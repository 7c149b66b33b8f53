-- 0081_create_rate_limits
-- Fixed-window counters for sign-in rate limits, one row per bucket (an
-- account or a client address), shared by every worker process.  UNLOGGED:
-- counters are worth nothing after a crash and need no WAL or replication.
-- depends: 0080_create_idempotency_keys
SET lock_timeout = '5s';
SET statement_timeout = '60s';

CREATE UNLOGGED TABLE rate_limits (
    bucket text NOT NULL,
    window_start timestamptz NOT NULL,
    -- attempts in one window, reset every window: integer is plenty.
    -- squawk-ignore prefer-bigint-over-int
    hits integer NOT NULL,
    CONSTRAINT rate_limits_pkey PRIMARY KEY (bucket),
    CONSTRAINT rate_limits_bucket_chk CHECK (char_length(bucket) BETWEEN 1 AND 200),
    CONSTRAINT rate_limits_hits_chk CHECK (hits >= 1)
);

COMMENT ON TABLE rate_limits IS
'Sign-in attempt counters per bucket (hashed account email or client address) for the current window.';
COMMENT ON COLUMN rate_limits.bucket IS 'kind:value, e.g. login-account:<sha256 of email>, login-addr:<ip>.';
