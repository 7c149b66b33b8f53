-- accounts/get_user.sql
-- The public user by id; none once the account is marked deleted.
-- Serves GET /me. Index: users_pkey.
-- $1 user_id uuid
SELECT
    id, email, username, display_name, auth_provider, auth_provider_id, onboarding_status,
    preferences, is_active, is_verified, created_at, updated_at, version
FROM users
WHERE
    id = $1
    AND deleted_at IS NULL;
