-- jobs/purge_deleted_users.sql
-- Deletes at most $2 accounts marked deleted more than $1 seconds ago, oldest first; foreign
-- keys cascade to everything they own (their messages in others' chats stay, sender_id NULL).
-- Returns how many.  The rows are locked by the inner SELECT (FOR UPDATE SKIP LOCKED).
-- Serves the account_purge job. Index: users_deleted_at_idx.
-- $1 delay_seconds int, $2 batch_size int
WITH gone AS (
    DELETE FROM users
    WHERE ctid = any(array(
            SELECT ctid
            FROM users
            WHERE deleted_at <= now() - make_interval(secs => $1::integer)
            ORDER BY deleted_at
            LIMIT $2
            FOR UPDATE SKIP LOCKED
        ))
    RETURNING 1
)

SELECT count(*) AS purged
FROM gone;
