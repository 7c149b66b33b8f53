-- 0051_create_events_raw
-- Quest: webhook deliveries exactly as received (after their signature was checked),
-- stored once per (provider, provider event id) so a redelivery changes nothing.
-- A delivery reaches a user through the active integration naming its provider account;
-- one that matches none is kept with no user and status 'unmatched'.
-- depends: 0050_create_integrations
SET lock_timeout = '5s';
SET statement_timeout = '60s';

CREATE TABLE events_raw (
    id bigint GENERATED ALWAYS AS IDENTITY,
    provider text NOT NULL,
    provider_event_id text NOT NULL,
    event_type text NOT NULL,
    external_account_id text,
    user_id uuid,
    payload jsonb NOT NULL,
    status text NOT NULL DEFAULT 'pending',
    received_at timestamptz NOT NULL DEFAULT now(),
    processed_at timestamptz,
    CONSTRAINT events_raw_pkey PRIMARY KEY (id),
    CONSTRAINT events_raw_provider_provider_event_id_key UNIQUE (provider, provider_event_id),
    CONSTRAINT events_raw_id_user_id_key UNIQUE (id, user_id),
    CONSTRAINT events_raw_user_id_fkey FOREIGN KEY (user_id)
        REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT events_raw_provider_chk CHECK (provider IN ('github', 'fitbit')),
    CONSTRAINT events_raw_provider_event_id_chk CHECK (char_length(provider_event_id) BETWEEN 1 AND 200),
    CONSTRAINT events_raw_event_type_chk CHECK (event_type ~ '^[a-z][a-z0-9_.-]{0,63}$'),
    CONSTRAINT events_raw_external_account_id_chk CHECK (
        char_length(external_account_id) BETWEEN 1 AND 255
    ),
    CONSTRAINT events_raw_payload_chk CHECK (jsonb_typeof(payload) = 'object'),
    CONSTRAINT events_raw_status_chk CHECK (status IN ('pending', 'processed', 'unmatched')),
    CONSTRAINT events_raw_unmatched_chk CHECK ((status = 'unmatched') = (user_id IS NULL)),
    CONSTRAINT events_raw_processed_at_chk CHECK ((status = 'processed') = (processed_at IS NOT NULL))
);

-- Serves the FK (a user's deletion finds their raw events).
-- The table is created empty in this migration: nothing to block, no need for CONCURRENTLY.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX events_raw_user_id_idx ON events_raw (user_id) WHERE user_id IS NOT NULL;

-- Serves `events process` (the backlog left by a crash): small, only pending rows.
-- The table is created empty in this migration: nothing to block, no need for CONCURRENTLY.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX events_raw_pending_idx ON events_raw (id) WHERE status = 'pending';

COMMENT ON TABLE events_raw IS 'Quest: signed webhook deliveries as received, one row per provider event id.';
COMMENT ON COLUMN events_raw.provider_event_id IS 'GitHub X-GitHub-Delivery; Fitbit payload id. Unique per provider.';
COMMENT ON COLUMN events_raw.event_type IS 'Provider event type: GitHub X-GitHub-Event (push), Fitbit activity.';
COMMENT ON COLUMN events_raw.external_account_id IS 'The provider account the delivery names (GitHub sender.id, Fitbit owner_id).';
COMMENT ON COLUMN events_raw.user_id IS 'Owner through the matching active integration; NULL = unmatched. Deleted with the user (payloads are personal data).';
COMMENT ON COLUMN events_raw.payload IS 'The delivery body as received (after its signature was verified); a JSON object.';
COMMENT ON COLUMN events_raw.status IS 'pending (stored, not applied yet) | processed | unmatched (no active integration; never applied).';
