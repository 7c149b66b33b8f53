-- jobs/purge_idempotency_keys.sql
-- Deletes at most $1 idempotency keys past expires_at (oldest first); returns how many.
-- Rows locked by a request right now are skipped (the next batch takes them).
-- The rows are locked by the inner SELECT (FOR UPDATE SKIP LOCKED), so their ctid cannot
-- change before the outer statement reaches them: a TID scan, no second index lookup.
-- Serves the idempotency_keys job. Index: idempotency_keys_expires_at_idx.
-- $1 batch_size int
WITH gone AS (
    DELETE FROM idempotency_keys
    WHERE ctid = any(array(
            SELECT ctid
            FROM idempotency_keys
            WHERE expires_at < now()
            ORDER BY expires_at
            LIMIT $1
            FOR UPDATE SKIP LOCKED
        ))
    RETURNING 1
)

SELECT count(*) AS purged
FROM gone;
