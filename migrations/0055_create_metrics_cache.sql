-- 0055_create_metrics_cache
-- Quest: per-user, per-day, per-kind totals of events for dashboards
-- (GET /stats/daily), kept current by event processing in the same transaction
-- that inserts the event, so a read is one primary-key range scan.
-- depends: 0054_create_goals
SET lock_timeout = '5s';
SET statement_timeout = '60s';

CREATE TABLE metrics_cache (
    user_id uuid NOT NULL,
    day date NOT NULL,
    kind text NOT NULL,
    total bigint NOT NULL,
    event_count bigint NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    -- Also serves the FK and GET /stats/daily (a user's days in a range).
    CONSTRAINT metrics_cache_pkey PRIMARY KEY (user_id, day, kind),
    CONSTRAINT metrics_cache_user_id_fkey FOREIGN KEY (user_id)
        REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT metrics_cache_kind_chk CHECK (kind IN ('commits', 'steps')),
    CONSTRAINT metrics_cache_total_chk CHECK (total >= 0),
    CONSTRAINT metrics_cache_event_count_chk CHECK (event_count >= 1)
);

CREATE TRIGGER metrics_cache_set_updated_at_trg
BEFORE UPDATE ON metrics_cache
FOR EACH ROW EXECUTE FUNCTION set_updated_at();

COMMENT ON TABLE metrics_cache IS 'Quest: daily totals per event kind, derived from events; rebuildable from them.';
COMMENT ON COLUMN metrics_cache.day IS 'UTC calendar day of events.occurred_at.';
COMMENT ON COLUMN metrics_cache.total IS 'Sum of events.value of that user, day and kind.';
COMMENT ON COLUMN metrics_cache.event_count IS 'Number of events summed into total.';
