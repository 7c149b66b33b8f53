-- accounts/mark_user_deleted.sql
-- DELETE /me: marks the account deleted and, in the same statement, deletes what must go at
-- once: its sessions (the refresh tokens), its known sign-in addresses and its idempotency
-- keys; then notifies every worker (channel account_deleted, delivered at COMMIT) so that the
-- account's access tokens are refused at once (service/accounts/deleted.py).  The row itself
-- and what cascades from it go later (jobs/purge_deleted_users.sql).
-- Returns the id, or no row when it is gone or already marked, or at another version than
-- If-Match names. Indexes: users_pkey, auth_sessions_user_id_idx,
-- known_sign_in_addresses_pkey, idempotency_keys_pkey.
-- $1 user_id uuid, $2 if_match bigint[] (NULL = unconditional)
WITH marked AS (
    UPDATE users
    SET deleted_at = now()
    WHERE
        id = $1
        AND deleted_at IS NULL
        AND ($2::bigint[] IS NULL OR $2::bigint[] @> ARRAY[version])
    RETURNING id
),

sessions AS (
    DELETE FROM auth_sessions
    WHERE user_id IN (SELECT m.id FROM marked AS m)
),

addresses AS (
    DELETE FROM known_sign_in_addresses
    WHERE user_id IN (SELECT m.id FROM marked AS m)
),

idempotency AS (
    DELETE FROM idempotency_keys
    WHERE user_id IN (SELECT m.id FROM marked AS m)
)

SELECT
    m.id,
    pg_notify('account_deleted', m.id::text) AS notified
FROM marked AS m;
