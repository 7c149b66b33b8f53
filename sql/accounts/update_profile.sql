-- accounts/update_profile.sql
-- PATCH /me: each field changes only when its flag is true (so NULL can be set on purpose).
-- Returns the public user. Index: users_pkey. Unique: users_username_lower_key.
-- $1 user_id uuid,
-- $2 set_display_name bool, $3 display_name text,
-- $4 set_username bool, $5 username text,
-- $6 set_preferences bool, $7 preferences jsonb,
-- $8 set_onboarding bool, $9 onboarding_status text,
-- $10 if_match bigint[] (NULL = unconditional; else the row's version must be one of them)
UPDATE users
SET
    display_name = CASE WHEN $2 THEN $3 ELSE display_name END,
    username = CASE WHEN $4 THEN $5 ELSE username END,
    preferences = CASE WHEN $6 THEN $7 ELSE preferences END,
    onboarding_status = CASE WHEN $8 THEN $9 ELSE onboarding_status END
WHERE id = $1
    AND ($10::bigint[] IS NULL OR $10::bigint[] @> ARRAY[version])
RETURNING
    id, email, username, display_name, auth_provider, auth_provider_id, onboarding_status,
    preferences, is_active, is_verified, created_at, updated_at, version;
