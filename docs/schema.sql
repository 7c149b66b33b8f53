-- docs/schema.sql: the schema of a freshly migrated database, generated from
-- pg_catalog by `python -m service db snapshot`. Do not edit: change a
-- migration, then regenerate; the diff of this file is the schema change.
-- `python -m service db verify` compares a live database with this file.
-- Objects sorted by name, columns in table order, yoyo's tables left out.
-- For reading and diffing, not for running.

-- Function: set_updated_at()
CREATE OR REPLACE FUNCTION public.set_updated_at()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$function$;
COMMENT ON FUNCTION set_updated_at() IS 'BEFORE UPDATE trigger: stamps updated_at with the transaction time.';

-- Table: audit_log
CREATE TABLE audit_log (
    id bigint NOT NULL GENERATED ALWAYS AS IDENTITY,
    user_id uuid,
    event text NOT NULL,
    client_addr inet,
    details jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    CONSTRAINT audit_log_pkey PRIMARY KEY (id),
    CONSTRAINT audit_log_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE SET NULL,
    CONSTRAINT audit_log_details_chk CHECK ((jsonb_typeof(details) = 'object'::text)),
    CONSTRAINT audit_log_event_chk CHECK ((event = ANY (ARRAY['register'::text, 'login'::text, 'login_failed'::text, 'logout'::text, 'token_reuse'::text, 'password_change'::text, 'account_delete'::text, 'integration_connect'::text, 'integration_revoke'::text])))
);
CREATE INDEX audit_log_user_id_idx ON public.audit_log USING btree (user_id, id DESC);
COMMENT ON TABLE audit_log IS 'Append-only security events (sign-in, password, account, integrations).';
COMMENT ON COLUMN audit_log.user_id IS 'The account concerned; NULL once that account is deleted or unknown.';
COMMENT ON COLUMN audit_log.details IS 'Event specifics as a JSON object; never passwords, tokens or hashes.';

-- Table: auth_sessions
CREATE TABLE auth_sessions (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL,
    token_hash bytea NOT NULL,
    user_agent text,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    last_used_at timestamp with time zone NOT NULL DEFAULT now(),
    expires_at timestamp with time zone NOT NULL,
    revoked_at timestamp with time zone,
    revoked_reason text,
    CONSTRAINT auth_sessions_pkey PRIMARY KEY (id),
    CONSTRAINT auth_sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE,
    CONSTRAINT auth_sessions_expires_at_chk CHECK ((expires_at > created_at)),
    CONSTRAINT auth_sessions_revoked_chk CHECK (((revoked_at IS NULL) = (revoked_reason IS NULL))),
    CONSTRAINT auth_sessions_revoked_reason_chk CHECK ((revoked_reason = ANY (ARRAY['logout'::text, 'reuse'::text, 'password_change'::text]))),
    CONSTRAINT auth_sessions_token_hash_chk CHECK ((octet_length(token_hash) = 32)),
    CONSTRAINT auth_sessions_user_agent_chk CHECK ((char_length(user_agent) <= 512))
);
CREATE INDEX auth_sessions_user_id_idx ON public.auth_sessions USING btree (user_id);
COMMENT ON TABLE auth_sessions IS 'Refresh-token sessions; revocable; the token is stored only as a hash.';
COMMENT ON COLUMN auth_sessions.token_hash IS 'SHA-256 of the current refresh token secret.';
COMMENT ON COLUMN auth_sessions.revoked_reason IS 'logout | reuse | password_change; set with revoked_at.';

-- Table: users
CREATE TABLE users (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    email text NOT NULL,
    username text,
    display_name text,
    password_hash text,
    auth_provider text NOT NULL DEFAULT 'password'::text,
    auth_provider_id text,
    onboarding_status text NOT NULL DEFAULT 'incomplete'::text,
    preferences jsonb NOT NULL DEFAULT '{}'::jsonb,
    is_active boolean NOT NULL DEFAULT true,
    is_verified boolean NOT NULL DEFAULT false,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    updated_at timestamp with time zone NOT NULL DEFAULT now(),
    CONSTRAINT users_pkey PRIMARY KEY (id),
    CONSTRAINT users_auth_provider_id_key UNIQUE (auth_provider, auth_provider_id),
    CONSTRAINT users_email_key UNIQUE (email),
    CONSTRAINT users_auth_provider_chk CHECK ((auth_provider ~ '^[a-z][a-z0-9_-]{0,31}$'::text)),
    CONSTRAINT users_auth_provider_id_chk CHECK (((char_length(auth_provider_id) >= 1) AND (char_length(auth_provider_id) <= 255))),
    CONSTRAINT users_credentials_chk CHECK ((((auth_provider = 'password'::text) = (auth_provider_id IS NULL)) AND ((auth_provider <> 'password'::text) OR (password_hash IS NOT NULL)))),
    CONSTRAINT users_display_name_chk CHECK (((char_length(display_name) >= 1) AND (char_length(display_name) <= 100))),
    CONSTRAINT users_email_chk CHECK (((email = lower(email)) AND (char_length(email) <= 254) AND (email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'::text))),
    CONSTRAINT users_onboarding_status_chk CHECK ((onboarding_status = ANY (ARRAY['incomplete'::text, 'complete'::text, 'skipped'::text]))),
    CONSTRAINT users_password_hash_chk CHECK ((password_hash ~~ '$argon2id$%'::text)),
    CONSTRAINT users_preferences_chk CHECK ((jsonb_typeof(preferences) = 'object'::text)),
    CONSTRAINT users_username_chk CHECK ((username ~ '^[A-Za-z0-9_.-]{3,32}$'::text))
);
CREATE UNIQUE INDEX users_username_lower_key ON public.users USING btree (lower(username));
CREATE TRIGGER users_set_updated_at_trg BEFORE UPDATE ON public.users FOR EACH ROW EXECUTE FUNCTION set_updated_at();
COMMENT ON TABLE users IS 'Accounts of all four apps: password or external-identity sign-in.';
COMMENT ON COLUMN users.email IS 'Lower-case; unique, so unique regardless of case.';
COMMENT ON COLUMN users.password_hash IS 'argon2id PHC string; NULL for external-identity accounts.';
COMMENT ON COLUMN users.auth_provider IS '''password'' for local accounts, else the external issuer''s name.';
COMMENT ON COLUMN users.auth_provider_id IS 'Subject id at the external provider; NULL for local accounts.';
COMMENT ON COLUMN users.onboarding_status IS 'incomplete | complete | skipped (Lattice onboarding).';
COMMENT ON COLUMN users.preferences IS 'Free-form app preferences; always a JSON object.';
