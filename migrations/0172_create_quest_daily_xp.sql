-- 0172_create_quest_daily_xp
-- The effect of webhook deliveries on pets is bounded (issue #18): xp granted
-- to one account's pets per UTC day is counted here against a daily cap, and
-- what the caps held back (per delivery and per day) is recorded, not applied.
-- Retention: rows older than QUEST_DAILY_XP_RETENTION days are purged
-- (quest/purge_daily_xp); only today's row is ever read by the cap.
-- depends: 0171_validate_audit_password_check_failed
SET lock_timeout = '5s';
SET statement_timeout = '60s';
SET search_path = public, pg_catalog;

CREATE TABLE quest_daily_xp (
    user_id uuid NOT NULL,
    day date NOT NULL,
    xp_applied bigint NOT NULL,
    xp_withheld bigint NOT NULL,
    last_granted bigint NOT NULL,
    CONSTRAINT quest_daily_xp_pkey PRIMARY KEY (user_id, day),
    CONSTRAINT quest_daily_xp_user_id_fkey FOREIGN KEY (user_id)
        REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT quest_daily_xp_xp_applied_chk CHECK (xp_applied >= 0),
    CONSTRAINT quest_daily_xp_xp_withheld_chk CHECK (xp_withheld >= 0),
    CONSTRAINT quest_daily_xp_last_granted_chk CHECK (last_granted BETWEEN 0 AND xp_applied)
);

-- The table is created empty in this migration: nothing to block, no need for CONCURRENTLY.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX quest_daily_xp_day_idx ON quest_daily_xp (day);

COMMENT ON TABLE quest_daily_xp IS
'Quest: xp granted to an account''s pets per UTC day (capped) and what the caps withheld.';
COMMENT ON COLUMN quest_daily_xp.xp_applied IS 'xp applied to the pets this day; never above the daily cap in force.';
COMMENT ON COLUMN quest_daily_xp.xp_withheld IS 'xp that deliveries asked for beyond the per-delivery and daily caps.';
COMMENT ON COLUMN quest_daily_xp.last_granted IS 'xp granted to the latest delivery (what the upsert returns).';
