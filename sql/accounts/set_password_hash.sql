-- accounts/set_password_hash.sql
-- Password change: replaces the hash only if it is still the one the current
-- password was just verified against (compare-and-set), so of two changes
-- that verified the same password only the first commits; the login rehash
-- is rehash_password.sql.  Returns the user id, or no row when the hash
-- changed meanwhile (or the account is gone).
-- Serves POST /me/password. Index: users_pkey.
-- $1 user_id uuid, $2 verified_hash text, $3 new_hash text
UPDATE users
SET password_hash = $3
WHERE
    id = $1
    AND password_hash = $2
RETURNING id;
