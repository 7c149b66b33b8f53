-- quest/purge_daily_xp.sql
-- Retention: deletes at most $2 daily xp rows older than $1 days; returns how many went.
-- Today's row, the only one the cap reads, is never touched.
-- Serves the quest_daily_xp job. Index: quest_daily_xp_day_idx.
-- $1 keep_days int, $2 batch_size int
WITH purged AS (
    DELETE FROM quest_daily_xp
    WHERE ctid = any(array(
            SELECT ctid
            FROM quest_daily_xp
            WHERE day < (now() AT TIME ZONE 'UTC')::date - $1::integer
            ORDER BY day
            LIMIT $2
            FOR UPDATE SKIP LOCKED
        ))
    RETURNING 1
)

SELECT count(*)::integer AS purged
FROM purged;
