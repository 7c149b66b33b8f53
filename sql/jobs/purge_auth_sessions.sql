-- jobs/purge_auth_sessions.sql
-- Deletes at most $2 sessions that expired, or were revoked, more than $1 days ago
-- (the earlier of the two; least() ignores a NULL revoked_at); returns how many.
-- The rows are locked by the inner SELECT (FOR UPDATE SKIP LOCKED), so their ctid cannot
-- change before the outer statement reaches them: a TID scan, no second index lookup.
-- Serves the auth_sessions job. Index: auth_sessions_ended_at_idx.
-- $1 retention_days int, $2 batch_size int
WITH gone AS (
    DELETE FROM auth_sessions
    WHERE ctid = any(array(
            SELECT ctid
            FROM auth_sessions
            WHERE least(expires_at, revoked_at) < now() - make_interval(days => $1::integer)
            ORDER BY least(expires_at, revoked_at)
            LIMIT $2
            FOR UPDATE SKIP LOCKED
        ))
    RETURNING 1
)

SELECT count(*) AS purged
FROM gone;
