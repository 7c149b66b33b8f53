-- accounts/delete_user.sql
-- Deletes an account; foreign keys cascade to everything it owns.
-- Returns the id, or no row when it was already gone or is at another version than
-- If-Match names. Index: users_pkey.
-- $1 user_id uuid, $2 if_match bigint[] (NULL = unconditional)
DELETE FROM users
WHERE id = $1
    AND ($2::bigint[] IS NULL OR $2::bigint[] @> ARRAY[version])
RETURNING id;
