-- quest/adopt_unmatched_raw_events.sql
-- Gives the caller the deliveries that arrived "unmatched" for a provider account they
-- have just connected, received within the window: status pending, user set (each row
-- once: only unmatched rows change).  Returns their ids, oldest first, for processing.
-- Runs in the connect transaction (service/quest/logic.py), after the integration row.
-- Serves POST /integrations. Index: events_raw_unmatched_account_idx (migration 0186).
-- $1 user_id uuid, $2 provider text, $3 external_account_id text, $4 window interval
WITH adopted AS (
    UPDATE events_raw
    SET
        user_id = $1,
        status = 'pending'
    WHERE
        provider = $2
        AND external_account_id = $3
        AND status = 'unmatched'
        AND received_at >= now() - $4::interval
    RETURNING id
)

SELECT id
FROM adopted
ORDER BY id;
