-- accounts/insert_user.sql
-- Creates a password account; returns the public user.
-- Serves POST /auth/register. Unique: users_email_key, users_username_lower_key.
-- $1 email text (lower-case), $2 username text, $3 display_name text, $4 password_hash text
INSERT INTO users (email, username, display_name, password_hash)
VALUES ($1, $2, $3, $4)
RETURNING
    id, email, username, display_name, auth_provider, auth_provider_id, onboarding_status,
    preferences, is_active, is_verified, created_at, updated_at, version;
