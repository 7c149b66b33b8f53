-- 0002_create_users
-- One account table for all four apps.  Email is stored lower-case, so the
-- plain unique constraint is case-insensitive; password_hash is NULL for
-- accounts that only sign in through an external identity provider.
-- depends: 0001_create_set_updated_at
SET lock_timeout = '5s';
SET statement_timeout = '60s';

CREATE TABLE users (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    email text NOT NULL,
    username text,
    display_name text,
    password_hash text,
    auth_provider text NOT NULL DEFAULT 'password',
    auth_provider_id text,
    onboarding_status text NOT NULL DEFAULT 'incomplete',
    preferences jsonb NOT NULL DEFAULT '{}'::jsonb,
    is_active boolean NOT NULL DEFAULT TRUE,
    is_verified boolean NOT NULL DEFAULT FALSE,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_pkey PRIMARY KEY (id),
    CONSTRAINT users_email_key UNIQUE (email),
    CONSTRAINT users_auth_provider_id_key UNIQUE (auth_provider, auth_provider_id),
    CONSTRAINT users_email_chk CHECK (
        email = lower(email)
        AND char_length(email) <= 254
        AND email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'
    ),
    CONSTRAINT users_username_chk CHECK (username ~ '^[A-Za-z0-9_.-]{3,32}$'),
    CONSTRAINT users_display_name_chk CHECK (char_length(display_name) BETWEEN 1 AND 100),
    CONSTRAINT users_password_hash_chk CHECK (password_hash LIKE '$argon2id$%'),
    CONSTRAINT users_auth_provider_chk CHECK (auth_provider ~ '^[a-z][a-z0-9_-]{0,31}$'),
    CONSTRAINT users_auth_provider_id_chk CHECK (char_length(auth_provider_id) BETWEEN 1 AND 255),
    CONSTRAINT users_credentials_chk CHECK (
        (auth_provider = 'password') = (auth_provider_id IS NULL)
        AND (auth_provider <> 'password' OR password_hash IS NOT NULL)
    ),
    CONSTRAINT users_onboarding_status_chk CHECK (
        onboarding_status IN ('incomplete', 'complete', 'skipped')
    ),
    CONSTRAINT users_preferences_chk CHECK (jsonb_typeof(preferences) = 'object')
);

-- Usernames are unique regardless of case ("Alice" and "alice" are one name).
-- The table is created empty in this migration: nothing to block, no need for CONCURRENTLY.
-- squawk-ignore require-concurrent-index-creation
CREATE UNIQUE INDEX users_username_lower_key ON users (lower(username));

CREATE TRIGGER users_set_updated_at_trg
BEFORE UPDATE ON users
FOR EACH ROW EXECUTE FUNCTION set_updated_at();

COMMENT ON TABLE users IS 'Accounts of all four apps: password or external-identity sign-in.';
COMMENT ON COLUMN users.email IS 'Lower-case; unique, so unique regardless of case.';
COMMENT ON COLUMN users.password_hash IS 'argon2id PHC string; NULL for external-identity accounts.';
COMMENT ON COLUMN users.auth_provider IS '''password'' for local accounts, else the external issuer''s name.';
COMMENT ON COLUMN users.auth_provider_id IS 'Subject id at the external provider; NULL for local accounts.';
COMMENT ON COLUMN users.onboarding_status IS 'incomplete | complete | skipped (Lattice onboarding).';
COMMENT ON COLUMN users.preferences IS 'Free-form app preferences; always a JSON object.';
