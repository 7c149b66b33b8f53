-- 0054_create_goals
-- Quest: a user's activity goals (e.g. 10 000 steps a day).  Progress is not
-- stored: it is summed from events for the current period whenever a goal is read.
-- depends: 0053_create_pets
SET lock_timeout = '5s';
SET statement_timeout = '60s';

CREATE TABLE goals (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL,
    title text NOT NULL,
    metric_kind text NOT NULL,
    target bigint NOT NULL,
    period text NOT NULL DEFAULT 'daily',
    status text NOT NULL DEFAULT 'active',
    start_date date NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')::date,
    end_date date,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT goals_pkey PRIMARY KEY (id),
    CONSTRAINT goals_user_id_fkey FOREIGN KEY (user_id)
        REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT goals_title_chk CHECK (char_length(title) BETWEEN 1 AND 200),
    CONSTRAINT goals_metric_kind_chk CHECK (metric_kind IN ('commits', 'steps')),
    CONSTRAINT goals_target_chk CHECK (target > 0 AND target <= 1000000000),
    CONSTRAINT goals_period_chk CHECK (period IN ('daily', 'weekly', 'monthly')),
    CONSTRAINT goals_status_chk CHECK (status IN ('active', 'completed', 'archived')),
    CONSTRAINT goals_dates_chk CHECK (end_date >= start_date)
);

-- Serves the FK and GET /goals (oldest first, keyset on (created_at, id)).
-- The table is created empty in this migration: nothing to block, no need for CONCURRENTLY.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX goals_user_id_created_at_idx ON goals (user_id, created_at, id);

CREATE TRIGGER goals_set_updated_at_trg
BEFORE UPDATE ON goals
FOR EACH ROW EXECUTE FUNCTION set_updated_at();

COMMENT ON TABLE goals IS 'Quest: activity goals; progress is computed from events when read, never stored.';
COMMENT ON COLUMN goals.metric_kind IS 'The event kind the goal counts: commits | steps.';
COMMENT ON COLUMN goals.target IS 'Amount of metric_kind to reach per period; > 0.';
COMMENT ON COLUMN goals.period IS 'daily | weekly (ISO weeks, Monday) | monthly; UTC calendar periods.';
COMMENT ON COLUMN goals.status IS 'active | completed | archived; set by the user.';
COMMENT ON COLUMN goals.end_date IS 'Last day counted (inclusive); NULL = open-ended. >= start_date.';
