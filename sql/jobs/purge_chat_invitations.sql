-- jobs/purge_chat_invitations.sql
-- Deletes at most $2 chat invitations answered (accepted, declined) or
-- expired more than $1 days ago; returns how many.
-- The rows are locked by the inner SELECT (FOR UPDATE SKIP LOCKED), so their ctid cannot
-- change before the outer statement reaches them: a TID scan, no second index lookup.
-- Serves the chat_invitations job. Index: chat_invitations_done_at_idx.
-- $1 retention_days int, $2 batch_size int
WITH gone AS (
    DELETE FROM chat_invitations
    WHERE ctid = any(array(
            SELECT ctid
            FROM chat_invitations
            WHERE coalesce(answered_at, expires_at) < now() - make_interval(days => $1::integer)
            ORDER BY coalesce(answered_at, expires_at)
            LIMIT $2
            FOR UPDATE SKIP LOCKED
        ))
    RETURNING 1
)

SELECT count(*) AS purged
FROM gone;
