-- quest/update_goal.sql
-- PATCH a goal: each field changes only when its flag is true; returns its id (no row:
-- missing or another user's).  goals_dates_chk refuses end_date < start_date.
-- Serves PATCH /goals/{id}. Index: goals_pkey.
-- $1 user_id uuid, $2 goal_id uuid,
-- $3 set_title bool, $4 title text, $5 set_target bool, $6 target bigint,
-- $7 set_period bool, $8 period text, $9 set_status bool, $10 status text,
-- $11 set_start_date bool, $12 start_date date, $13 set_end_date bool, $14 end_date date,
-- $15 if_match bigint[] (NULL = unconditional; else the row's version must be one of them)
UPDATE goals
SET
    title = CASE WHEN $3 THEN $4 ELSE title END,
    target = CASE WHEN $5 THEN $6::bigint ELSE target END,
    period = CASE WHEN $7 THEN $8 ELSE period END,
    status = CASE WHEN $9 THEN $10 ELSE status END,
    start_date = CASE WHEN $11 THEN $12::date ELSE start_date END,
    end_date = CASE WHEN $13 THEN $14::date ELSE end_date END
WHERE id = $2
    AND user_id = $1
    AND ($15::bigint[] IS NULL OR $15::bigint[] @> ARRAY[version])
RETURNING id;
