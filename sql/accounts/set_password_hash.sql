-- accounts/set_password_hash.sql
-- Replaces a password hash (password change; the login rehash is rehash_password.sql).
-- Serves POST /me/password. Index: users_pkey.
-- $1 user_id uuid, $2 password_hash text
UPDATE users
SET password_hash = $2
WHERE id = $1;
