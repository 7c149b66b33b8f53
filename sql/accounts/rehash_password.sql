-- accounts/rehash_password.sql
-- Login rehash with current argon2 parameters, only if the hash is still the one
-- just verified: a password change that committed meanwhile wins and nothing is
-- written. Returns the user id when rehashed, no row otherwise.
-- Serves POST /auth/login and /auth/token (password grant). Index: users_pkey.
-- $1 user_id uuid, $2 verified_hash text, $3 new_hash text
UPDATE users
SET password_hash = $3
WHERE
    id = $1
    AND password_hash = $2
RETURNING id;
