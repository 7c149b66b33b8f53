-- quest/purge_daily_xp.sql
-- Retention: deletes daily xp rows older than $1 days; returns how many went.
-- Index: quest_daily_xp_day_idx.
-- $1 keep_days int
WITH purged AS (
    DELETE FROM quest_daily_xp
    WHERE day < (now() AT TIME ZONE 'UTC')::date - $1::integer
    RETURNING 1
)

SELECT count(*)::integer AS purged
FROM purged;
