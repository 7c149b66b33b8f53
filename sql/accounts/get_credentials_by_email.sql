-- accounts/get_credentials_by_email.sql
-- What a password login checks: id, hash (NULL for external accounts), active flag (false once the account is marked deleted).
-- Serves POST /auth/login and /auth/token. Index: users_email_key.
-- $1 email text (lower-case)
SELECT
    id,
    password_hash,
    is_active AND deleted_at IS NULL AS is_active
FROM users
WHERE email = $1;
