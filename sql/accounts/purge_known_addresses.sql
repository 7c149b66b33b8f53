-- accounts/purge_known_addresses.sql
-- Retention: forgets addresses with no successful sign-in for $1 seconds;
-- returns how many rows went. Index: known_sign_in_addresses_last_success_at_idx.
-- $1 older_than_seconds int
WITH purged AS (
    DELETE FROM known_sign_in_addresses
    WHERE last_success_at < now() - make_interval(secs => $1::integer)
    RETURNING 1
)

SELECT count(*)::integer AS purged
FROM purged;
