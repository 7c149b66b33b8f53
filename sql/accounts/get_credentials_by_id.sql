-- accounts/get_credentials_by_id.sql
-- The same as get_credentials_by_email, by id: for checking the current password.
-- Serves POST /me/password. Index: users_pkey.
-- $1 user_id uuid
SELECT
    id,
    password_hash,
    is_active AND deleted_at IS NULL AS is_active
FROM users
WHERE id = $1;
