-- quest/insert_goal.sql
-- Creates a goal for the caller; returns its id (the route then reads it with progress).
-- Serves POST /goals. Index: goals_pkey.
-- $1 user_id uuid, $2 title text, $3 metric_kind text, $4 target bigint, $5 period text,
-- $6 start_date date (NULL = today, UTC), $7 end_date date (NULL = open-ended)
INSERT INTO goals (user_id, title, metric_kind, target, period, start_date, end_date)
VALUES ($1, $2, $3, $4, $5, coalesce($6::date, (now() AT TIME ZONE 'UTC')::date), $7)
RETURNING id;
