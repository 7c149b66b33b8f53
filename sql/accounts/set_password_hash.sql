-- accounts/set_password_hash.sql
-- Replaces a password hash (password change, or rehash with current argon2 parameters).
-- Serves POST /me/password and login rehash. Index: users_pkey.
-- $1 user_id uuid, $2 password_hash text
UPDATE users
SET password_hash = $2
WHERE id = $1;
