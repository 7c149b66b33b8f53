-- jobs/purge_idempotency_keys.sql
-- Deletes at most $1 idempotency keys past expires_at (oldest first); returns how many.
-- Rows locked by a request right now are skipped (the next batch takes them).
-- Serves the idempotency_keys job. Index: idempotency_keys_expires_at_idx.
-- $1 batch_size int
WITH doomed AS (
    SELECT user_id, idem_key
    FROM idempotency_keys
    WHERE expires_at < now()
    ORDER BY expires_at
    LIMIT $1
    FOR UPDATE SKIP LOCKED
),

gone AS (
    DELETE FROM idempotency_keys AS k
    USING doomed
    WHERE
        k.user_id = doomed.user_id
        AND k.idem_key = doomed.idem_key
    RETURNING 1
)

SELECT count(*) AS purged
FROM gone;
