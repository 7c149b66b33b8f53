-- 0052_create_events
-- Quest: normalized activity events (commits, steps) made from raw deliveries.
-- One event per raw event (unique raw_event_id), so processing a delivery twice
-- cannot count it twice; its user is the raw event's user (composite FK).
-- depends: 0051_create_events_raw
SET lock_timeout = '5s';
SET statement_timeout = '60s';

CREATE TABLE events (
    id bigint GENERATED ALWAYS AS IDENTITY,
    user_id uuid NOT NULL,
    raw_event_id bigint NOT NULL,
    kind text NOT NULL,
    value bigint NOT NULL,
    occurred_at timestamptz NOT NULL,
    metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT events_pkey PRIMARY KEY (id),
    CONSTRAINT events_id_user_id_key UNIQUE (id, user_id),
    CONSTRAINT events_raw_event_id_key UNIQUE (raw_event_id),
    CONSTRAINT events_user_id_fkey FOREIGN KEY (user_id)
        REFERENCES users (id) ON DELETE CASCADE,
    -- Served by events_raw_event_id_key, whose leading column is raw_event_id.
    CONSTRAINT events_raw_event_id_user_id_fkey FOREIGN KEY (raw_event_id, user_id)
        REFERENCES events_raw (id, user_id) ON DELETE CASCADE,
    CONSTRAINT events_kind_chk CHECK (kind IN ('commits', 'steps')),
    CONSTRAINT events_value_chk CHECK (value BETWEEN 0 AND 1000000000),
    CONSTRAINT events_metadata_chk CHECK (jsonb_typeof(metadata) = 'object')
);

-- Serves the user FK and GET /events (newest first, keyset on (occurred_at, id)).
-- The table is created empty in this migration: nothing to block, no need for CONCURRENTLY.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX events_user_id_occurred_at_idx ON events (user_id, occurred_at DESC, id DESC);

-- Serves goal progress (sum of one kind over a period) and GET /events?kind=.
-- The table is created empty in this migration: nothing to block, no need for CONCURRENTLY.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX events_user_id_kind_occurred_at_idx ON events (user_id, kind, occurred_at DESC, id DESC)
INCLUDE (value);

COMMENT ON TABLE events IS 'Quest: normalized activity events, one per processed raw event.';
COMMENT ON COLUMN events.kind IS 'commits (GitHub push: distinct commits) | steps (Fitbit activity).';
COMMENT ON COLUMN events.value IS 'Amount of the kind: number of commits, number of steps.';
COMMENT ON COLUMN events.occurred_at IS 'When it happened at the provider (head commit time, activity date at 00:00 UTC).';
COMMENT ON COLUMN events.metadata IS 'Provider details worth showing (repository, ref, commit ids); never tokens.';
