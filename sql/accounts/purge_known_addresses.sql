-- accounts/purge_known_addresses.sql
-- Retention: forgets at most $2 addresses with no successful sign-in for $1 seconds;
-- returns how many rows went. A sign-in refreshing a row meanwhile locks it: skipped.
-- Serves the known_sign_in_addresses job. Index: known_sign_in_addresses_last_success_at_idx.
-- $1 older_than_seconds int, $2 batch_size int
WITH purged AS (
    DELETE FROM known_sign_in_addresses
    WHERE ctid = any(array(
            SELECT ctid
            FROM known_sign_in_addresses
            WHERE last_success_at < now() - make_interval(secs => $1::integer)
            ORDER BY last_success_at
            LIMIT $2
            FOR UPDATE SKIP LOCKED
        ))
    RETURNING 1
)

SELECT count(*)::integer AS purged
FROM purged;
