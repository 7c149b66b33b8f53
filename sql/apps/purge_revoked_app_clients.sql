-- apps/purge_revoked_app_clients.sql
-- Deletes up to $2 clients revoked more than $1 ago (after the audit log's
-- retention, so every audit row that names a client outlives it); returns
-- how many.  Run in batches until it returns less than $2.
-- Index: app_clients_revoked_at_idx.
-- $1 older_than interval, $2 batch_size int
WITH gone AS (
    DELETE FROM app_clients
    WHERE id IN (
            SELECT id
            FROM app_clients
            WHERE revoked_at < now() - $1::interval
            ORDER BY revoked_at
            LIMIT $2
        )
    RETURNING id
)

SELECT count(*) AS purged
FROM gone;
