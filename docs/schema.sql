-- docs/schema.sql: the schema of a freshly migrated database, generated from
-- pg_catalog by `python -m service db snapshot`. Do not edit: change a
-- migration, then regenerate; the diff of this file is the schema change.
-- `python -m service db verify` compares a live database with this file.
-- Objects sorted by name, columns in table order, yoyo's tables left out.
-- For reading and diffing, not for running.

-- Extension: btree_gin
CREATE EXTENSION btree_gin;

-- Extension: pg_trgm
CREATE EXTENSION pg_trgm;

-- Function: bump_version()
CREATE OR REPLACE FUNCTION public.bump_version()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
    IF NEW *= OLD THEN
        RETURN NEW;
    END IF;
    NEW.version := OLD.version + 1;
    RETURN NEW;
END;
$function$;
COMMENT ON FUNCTION bump_version() IS 'BEFORE UPDATE trigger: version = previous version + 1 (ETag / If-Match source), unless the UPDATE changes nothing.';

-- Function: chats_check_one_owner()
CREATE OR REPLACE FUNCTION public.chats_check_one_owner()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
DECLARE
    targets uuid[];
    target uuid;
    owners bigint;
BEGIN
    -- Each branch names only fields its table has (PL/pgSQL resolves them when run).
    IF TG_TABLE_NAME = 'chats' THEN
        targets := ARRAY[NEW.id];
    ELSIF TG_OP = 'INSERT' THEN
        targets := ARRAY[NEW.chat_id];
    ELSIF TG_OP = 'DELETE' THEN
        targets := ARRAY[OLD.chat_id];
    ELSE
        targets := ARRAY[OLD.chat_id, NEW.chat_id];
    END IF;
    FOREACH target IN ARRAY targets LOOP
        PERFORM 1 FROM chats WHERE id = target;
        IF FOUND THEN
            SELECT count(*) INTO owners
            FROM chat_members
            WHERE chat_id = target AND role = 'owner';
            IF owners <> 1 THEN
                RAISE EXCEPTION 'chat % would have % owners; a chat has exactly one owner, a member', target, owners
                    USING ERRCODE = 'integrity_constraint_violation',
                          CONSTRAINT = 'chats_one_owner',
                          TABLE = 'chat_members';
            END IF;
        END IF;
    END LOOP;
    RETURN NULL;
END
$function$;
COMMENT ON FUNCTION chats_check_one_owner() IS 'Deferred check: each chat touched by the transaction has exactly one owner row in chat_members.';

-- Function: expense_tags_valid(tags text[])
CREATE OR REPLACE FUNCTION public.expense_tags_valid(tags text[])
 RETURNS boolean
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE STRICT
AS $function$
    SELECT cardinality(tags) <= 20
        AND NOT EXISTS (
            SELECT 1
            FROM unnest(tags) AS t (tag)
            WHERE t.tag IS NULL OR char_length(t.tag) NOT BETWEEN 1 AND 100
        )
$function$;
COMMENT ON FUNCTION expense_tags_valid(tags text[]) IS 'At most 20 tags, each 1..100 characters and not NULL (expenses_tags_chk).';

-- Function: ledger_check_shares_sum()
CREATE OR REPLACE FUNCTION public.ledger_check_shares_sum()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
DECLARE
    targets bigint[];
    target bigint;
    entry_chat uuid;
    entry_amount numeric;
    shared numeric;
    share_count bigint;
BEGIN
    -- Each branch names only fields its table has (PL/pgSQL resolves them when run).
    IF TG_TABLE_NAME = 'ledger_entries' THEN
        targets := ARRAY[NEW.id];
    ELSIF TG_OP = 'INSERT' THEN
        targets := ARRAY[NEW.entry_id];
    ELSIF TG_OP = 'DELETE' THEN
        targets := ARRAY[OLD.entry_id];
    ELSE
        targets := ARRAY[OLD.entry_id, NEW.entry_id];
    END IF;
    FOREACH target IN ARRAY targets LOOP
        SELECT chat_id, amount INTO entry_chat, entry_amount
        FROM ledger_entries
        WHERE id = target;
        IF FOUND THEN
            SELECT coalesce(sum(amount), 0), count(*) INTO shared, share_count
            FROM ledger_shares
            WHERE chat_id = entry_chat AND entry_id = target;
            IF share_count = 0 OR shared <> entry_amount THEN
                RAISE EXCEPTION 'ledger entry % has shares adding up to % for an amount of %',
                    target, shared, entry_amount
                    USING ERRCODE = 'integrity_constraint_violation',
                          CONSTRAINT = 'ledger_shares_sum',
                          TABLE = 'ledger_shares';
            END IF;
        END IF;
    END LOOP;
    RETURN NULL;
END
$function$;
COMMENT ON FUNCTION ledger_check_shares_sum() IS 'Deferred check: each ledger entry touched by the transaction has shares adding up to its amount.';

-- Function: ledger_keep_total_spend()
CREATE OR REPLACE FUNCTION public.ledger_keep_total_spend()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
DECLARE
    delta numeric := 0;
    target uuid;
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.kind = 'expense' AND NEW.voided_at IS NULL THEN
        delta := delta + NEW.amount;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.kind = 'expense' AND OLD.voided_at IS NULL THEN
        delta := delta - OLD.amount;
    END IF;
    IF TG_OP = 'DELETE' THEN
        target := OLD.chat_id;
    ELSE
        target := NEW.chat_id;
    END IF;
    IF delta <> 0 OR TG_OP = 'INSERT' THEN
        UPDATE group_contexts
        SET
            total_spend = total_spend + delta,
            last_activity_at = now()
        WHERE chat_id = target;
    END IF;
    RETURN NULL;
END
$function$;
COMMENT ON FUNCTION ledger_keep_total_spend() IS 'Keeps group_contexts.total_spend = sum of the chat''s live expense entries, in the writing statement.';

-- Function: name_is_clean(name text)
CREATE OR REPLACE FUNCTION public.name_is_clean(name text)
 RETURNS boolean
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE STRICT
AS $function$
    SELECT name ~ '^[^\x01-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff[:space:]]([^\x01-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff]*[^\x01-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff[:space:]])?$'
        AND name IS NFC NORMALIZED
$function$;
COMMENT ON FUNCTION name_is_clean(name text) IS 'The name rule of service/http/names.py: trimmed, not blank, no control/bidi/zero-width characters, NFC.';

-- Function: pet_energy_now(energy integer, since timestamp with time zone)
CREATE OR REPLACE FUNCTION public.pet_energy_now(energy integer, since timestamp with time zone)
 RETURNS integer
 LANGUAGE sql
 STABLE PARALLEL SAFE
 SET search_path TO 'pg_catalog'
AS $function$
    SELECT least(100, greatest(0, energy + floor(greatest(0, extract(EPOCH FROM now() - since)) / 3600 * 4)::integer))
$function$;
COMMENT ON FUNCTION pet_energy_now(energy integer, since timestamp with time zone) IS 'A pet''s energy now: recovers 4 an hour since gauges_at, clamped to 0..100 (service/quest/rules.py).';

-- Function: pet_hunger_now(hunger integer, since timestamp with time zone)
CREATE OR REPLACE FUNCTION public.pet_hunger_now(hunger integer, since timestamp with time zone)
 RETURNS integer
 LANGUAGE sql
 STABLE PARALLEL SAFE
 SET search_path TO 'pg_catalog'
AS $function$
    SELECT least(100, greatest(0, hunger + floor(greatest(0, extract(EPOCH FROM now() - since)) / 3600 * 2)::integer))
$function$;
COMMENT ON FUNCTION pet_hunger_now(hunger integer, since timestamp with time zone) IS 'A pet''s hunger now: rises 2 an hour since gauges_at, clamped to 0..100 (service/quest/rules.py).';

-- Function: purge_audit_log(batch_size integer, keep_days integer, unknown_keep_days integer)
CREATE OR REPLACE FUNCTION public.purge_audit_log(batch_size integer, keep_days integer, unknown_keep_days integer)
 RETURNS bigint
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'public', 'pg_catalog'
AS $function$
DECLARE
    purged bigint;
BEGIN
    IF batch_size IS NULL OR batch_size NOT BETWEEN 1 AND 10000 THEN
        RAISE EXCEPTION 'purge_audit_log: batch_size must be 1..10000, not %', batch_size
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF keep_days IS NULL OR keep_days < 30 THEN
        RAISE EXCEPTION 'purge_audit_log: keep_days must be at least 30, not %', keep_days
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF unknown_keep_days IS NULL OR unknown_keep_days < 1 THEN
        RAISE EXCEPTION 'purge_audit_log: unknown_keep_days must be at least 1, not %', unknown_keep_days
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- Failed sign-ins for unknown emails first (index audit_log_unknown_login_idx),
    -- then everything past the long retention (BRIN audit_log_created_at_brin_idx).
    WITH gone AS (
        DELETE FROM audit_log
        WHERE id = ANY (ARRAY(
            SELECT a.id
            FROM audit_log AS a
            WHERE a.event = 'login_failed'
              AND a.user_id IS NULL
              AND a.details ->> 'reason' = 'unknown_email'
              AND a.created_at < now() - make_interval(days => unknown_keep_days)
            ORDER BY a.created_at
            LIMIT batch_size
        ))
        RETURNING 1
    )
    SELECT count(*) INTO purged FROM gone;
    IF purged >= batch_size THEN
        RETURN purged;
    END IF;
    WITH gone AS (
        DELETE FROM audit_log
        WHERE id = ANY (ARRAY(
            SELECT a.id
            FROM audit_log AS a
            WHERE a.created_at < now() - make_interval(days => keep_days)
            LIMIT batch_size - purged
        ))
        RETURNING 1
    )
    SELECT purged + count(*) INTO purged FROM gone;
    RETURN purged;
END
$function$;
COMMENT ON FUNCTION purge_audit_log(batch_size integer, keep_days integer, unknown_keep_days integer) IS 'Retention purge of audit_log (SECURITY DEFINER): deletes at most batch_size rows past retention, never younger ones.';

-- Function: set_updated_at()
CREATE OR REPLACE FUNCTION public.set_updated_at()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
    IF NEW *= OLD THEN
        RETURN NEW;
    END IF;
    NEW.updated_at := now();
    RETURN NEW;
END;
$function$;
COMMENT ON FUNCTION set_updated_at() IS 'BEFORE UPDATE trigger: stamps updated_at with the transaction time, unless the UPDATE changes nothing.';

-- Table: app_clients
CREATE TABLE app_clients (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    name text NOT NULL,
    secret_hash text NOT NULL,
    previous_secret_hash text,
    previous_secret_expires_at timestamp with time zone,
    scopes text[] NOT NULL DEFAULT '{}'::text[],
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    rotated_at timestamp with time zone,
    revoked_at timestamp with time zone,
    CONSTRAINT app_clients_pkey PRIMARY KEY (id),
    CONSTRAINT app_clients_name_key UNIQUE (name),
    CONSTRAINT app_clients_name_chk CHECK ((name ~ '^[a-z0-9][a-z0-9._-]{0,63}$'::text)),
    CONSTRAINT app_clients_previous_secret_chk CHECK ((((previous_secret_hash IS NULL) = (previous_secret_expires_at IS NULL)) AND ((char_length(previous_secret_hash) >= 1) AND (char_length(previous_secret_hash) <= 255)))),
    CONSTRAINT app_clients_revoked_at_chk CHECK ((revoked_at >= created_at)),
    CONSTRAINT app_clients_scopes_chk CHECK (((scopes <@ ARRAY['chat:assistant'::text]) AND (array_position(scopes, NULL::text) IS NULL))),
    CONSTRAINT app_clients_secret_hash_chk CHECK (((char_length(secret_hash) >= 1) AND (char_length(secret_hash) <= 255)))
);
CREATE INDEX app_clients_revoked_at_idx ON public.app_clients USING btree (revoked_at) WHERE (revoked_at IS NOT NULL);
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE app_clients TO service_app;
COMMENT ON TABLE app_clients IS 'App credentials: OAuth2 client-credentials clients (the apps'' backends), argon2id-hashed secrets, scopes.';
COMMENT ON COLUMN app_clients.name IS 'Unique name the CLI addresses it by (python -m service apps ...).';
COMMENT ON COLUMN app_clients.secret_hash IS 'argon2id hash of the current secret (the secret is shown once).';
COMMENT ON COLUMN app_clients.previous_secret_hash IS 'argon2id hash of the secret before the last rotation; valid until previous_secret_expires_at.';
COMMENT ON COLUMN app_clients.scopes IS 'Scopes the client may be granted; chat:assistant posts role assistant.';
COMMENT ON COLUMN app_clients.revoked_at IS 'Set by revoke: tokens stop working at once; the row is purged after the audit retention.';

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
    CONSTRAINT audit_log_details_size_chk CHECK ((pg_column_size(details) <= 4096)),
    CONSTRAINT audit_log_event_chk CHECK ((event = ANY (ARRAY['register'::text, 'login'::text, 'login_failed'::text, 'logout'::text, 'token_reuse'::text, 'password_change'::text, 'account_delete'::text, 'integration_connect'::text, 'integration_revoke'::text, 'chat_owner_handover'::text, 'app_client_create'::text, 'app_secret_rotate'::text, 'app_client_revoke'::text, 'app_token_issue'::text, 'password_check_failed'::text])))
);
CREATE INDEX audit_log_created_at_brin_idx ON public.audit_log USING brin (created_at);
CREATE INDEX audit_log_unknown_login_idx ON public.audit_log USING btree (created_at) WHERE ((event = 'login_failed'::text) AND (user_id IS NULL));
CREATE INDEX audit_log_user_id_idx ON public.audit_log USING btree (user_id, id DESC);
GRANT SELECT, INSERT ON TABLE audit_log TO service_app;
COMMENT ON TABLE audit_log IS 'Append-only security events (sign-in, password, account, integrations); service_app may not UPDATE or DELETE.';
COMMENT ON COLUMN audit_log.user_id IS 'The account concerned; NULL once that account is deleted or unknown.';
COMMENT ON COLUMN audit_log.details IS 'Event specifics as a JSON object; never passwords, tokens or hashes.';
COMMENT ON CONSTRAINT audit_log_details_size_chk ON audit_log IS 'json_size.AUDIT_DETAILS_MAX; server-written (ids, names, reasons only).';

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
CREATE INDEX auth_sessions_ended_at_idx ON public.auth_sessions USING btree (LEAST(expires_at, revoked_at));
CREATE INDEX auth_sessions_user_id_idx ON public.auth_sessions USING btree (user_id);
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE auth_sessions TO service_app;
COMMENT ON TABLE auth_sessions IS 'Refresh-token sessions; revocable; the token is stored only as a hash.';
COMMENT ON COLUMN auth_sessions.token_hash IS 'SHA-256 of the current refresh token secret.';
COMMENT ON COLUMN auth_sessions.revoked_reason IS 'logout | reuse | password_change; set with revoked_at.';

-- Table: budgets
CREATE TABLE budgets (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL,
    category_id uuid,
    amount numeric(12,2) NOT NULL,
    period text NOT NULL DEFAULT 'monthly'::text,
    start_date date NOT NULL,
    end_date date,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    updated_at timestamp with time zone NOT NULL DEFAULT now(),
    version bigint NOT NULL DEFAULT 0,
    CONSTRAINT budgets_pkey PRIMARY KEY (id),
    CONSTRAINT budgets_category_id_fkey FOREIGN KEY (category_id, user_id) REFERENCES categories(id, user_id) ON DELETE CASCADE,
    CONSTRAINT budgets_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE,
    CONSTRAINT budgets_amount_chk CHECK ((amount > (0)::numeric)),
    CONSTRAINT budgets_end_date_chk CHECK ((isfinite(end_date) AND (end_date >= start_date))),
    CONSTRAINT budgets_period_chk CHECK ((period = ANY (ARRAY['weekly'::text, 'monthly'::text, 'yearly'::text]))),
    CONSTRAINT budgets_start_date_chk CHECK (isfinite(start_date))
);
CREATE INDEX budgets_category_id_user_id_idx ON public.budgets USING btree (category_id, user_id);
CREATE INDEX budgets_user_id_start_date_idx ON public.budgets USING btree (user_id, start_date DESC, id DESC);
CREATE TRIGGER budgets_bump_version_trg BEFORE UPDATE ON public.budgets FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE TRIGGER budgets_set_updated_at_trg BEFORE UPDATE ON public.budgets FOR EACH ROW EXECUTE FUNCTION set_updated_at();
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE budgets TO service_app;
COMMENT ON TABLE budgets IS 'Spending limits per week, month or year, for one category or (NULL) all spending.';
COMMENT ON COLUMN budgets.category_id IS 'NULL: the budget covers all of the user''s spending.';
COMMENT ON COLUMN budgets.period IS 'weekly | monthly | yearly: how often the amount is available.';
COMMENT ON COLUMN budgets.end_date IS 'Last day the budget applies (inclusive); NULL: open-ended.';
COMMENT ON COLUMN budgets.version IS 'Bumped by every UPDATE (bump_version); the ETag of /budgets/{id}.';

-- Table: categories
CREATE TABLE categories (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL,
    name text NOT NULL,
    description text,
    color text NOT NULL DEFAULT '#3182ce'::text,
    icon text,
    is_default boolean NOT NULL DEFAULT false,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    updated_at timestamp with time zone NOT NULL DEFAULT now(),
    version bigint NOT NULL DEFAULT 0,
    name_key text,
    CONSTRAINT categories_pkey PRIMARY KEY (id),
    CONSTRAINT categories_id_user_id_key UNIQUE (id, user_id),
    CONSTRAINT categories_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE,
    CONSTRAINT categories_color_chk CHECK ((color ~ '^#[0-9a-f]{6}$'::text)),
    CONSTRAINT categories_description_chk CHECK ((char_length(description) <= 1000)),
    CONSTRAINT categories_icon_chk CHECK (((char_length(icon) >= 1) AND (char_length(icon) <= 50))),
    CONSTRAINT categories_name_chk CHECK ((((char_length(name) >= 1) AND (char_length(name) <= 100)) AND (name = btrim(name)))),
    CONSTRAINT categories_name_clean_chk CHECK (name_is_clean(name)),
    CONSTRAINT categories_name_key_chk CHECK (((name_key IS NOT NULL) AND ((char_length(name_key) >= 1) AND (char_length(name_key) <= 400))))
);
CREATE UNIQUE INDEX categories_user_id_name_key_key ON public.categories USING btree (user_id, name_key);
CREATE TRIGGER categories_bump_version_trg BEFORE UPDATE ON public.categories FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE TRIGGER categories_set_updated_at_trg BEFORE UPDATE ON public.categories FOR EACH ROW EXECUTE FUNCTION set_updated_at();
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE categories TO service_app;
COMMENT ON TABLE categories IS 'A user''s expense categories; six defaults are created with every account.';
COMMENT ON COLUMN categories.color IS 'Lower-case #rrggbb.';
COMMENT ON COLUMN categories.icon IS 'Free text, usually one emoji.';
COMMENT ON COLUMN categories.is_default IS 'Created with the account (Food, Transport, ...), not by the user.';
COMMENT ON COLUMN categories.version IS 'Bumped by every UPDATE (bump_version); the ETag of /categories/{id}.';
COMMENT ON COLUMN categories.name_key IS 'casefold() of the NFC name, computed by the service (names.name_key); unique per user.';

-- Table: chat_invitations
CREATE TABLE chat_invitations (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    chat_id uuid NOT NULL,
    chat_kind text NOT NULL DEFAULT 'group'::text,
    email text NOT NULL,
    role text NOT NULL DEFAULT 'member'::text,
    invited_by uuid,
    status text NOT NULL DEFAULT 'pending'::text,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    expires_at timestamp with time zone NOT NULL,
    answered_at timestamp with time zone,
    CONSTRAINT chat_invitations_pkey PRIMARY KEY (chat_id, id),
    CONSTRAINT chat_invitations_chat_id_fkey FOREIGN KEY (chat_id, chat_kind) REFERENCES chats(id, kind) ON DELETE CASCADE,
    CONSTRAINT chat_invitations_invited_by_fkey FOREIGN KEY (invited_by) REFERENCES users(id) ON DELETE SET NULL,
    CONSTRAINT chat_invitations_answered_chk CHECK (((status = 'pending'::text) = (answered_at IS NULL))),
    CONSTRAINT chat_invitations_chat_kind_chk CHECK ((chat_kind = 'group'::text)),
    CONSTRAINT chat_invitations_email_chk CHECK ((((char_length(email) >= 3) AND (char_length(email) <= 254)) AND (email = lower(email)))),
    CONSTRAINT chat_invitations_expires_chk CHECK ((expires_at > created_at)),
    CONSTRAINT chat_invitations_role_chk CHECK ((role = ANY (ARRAY['admin'::text, 'member'::text]))),
    CONSTRAINT chat_invitations_status_chk CHECK ((status = ANY (ARRAY['pending'::text, 'accepted'::text, 'declined'::text])))
);
CREATE INDEX chat_invitations_done_at_idx ON public.chat_invitations USING btree (COALESCE(answered_at, expires_at));
CREATE INDEX chat_invitations_email_idx ON public.chat_invitations USING btree (email, created_at) WHERE (status = 'pending'::text);
CREATE INDEX chat_invitations_invited_by_idx ON public.chat_invitations USING btree (invited_by) WHERE (invited_by IS NOT NULL);
CREATE UNIQUE INDEX chat_invitations_pending_key ON public.chat_invitations USING btree (chat_id, email) WHERE (status = 'pending'::text);
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE chat_invitations TO service_app;
COMMENT ON TABLE chat_invitations IS 'Invitations to a group chat by email: pending until accepted, declined or expired; purged after retention.';
COMMENT ON COLUMN chat_invitations.chat_kind IS 'Always ''group'': pins the chat''s kind through the composite FK.';
COMMENT ON COLUMN chat_invitations.email IS 'The invited address, lower-cased like users.email; never checked against accounts when sent.';
COMMENT ON COLUMN chat_invitations.role IS 'The role the invitee gets on accepting: admin | member.';
COMMENT ON COLUMN chat_invitations.invited_by IS 'The owner or admin who sent it; accepting needs them still owner or admin.';
COMMENT ON COLUMN chat_invitations.status IS 'pending | accepted | declined (answered_at set when answered).';
COMMENT ON COLUMN chat_invitations.expires_at IS 'A pending invitation cannot be accepted after this (INVITATION_TTL).';

-- Table: chat_members
CREATE TABLE chat_members (
    chat_id uuid NOT NULL,
    chat_kind text NOT NULL,
    user_id uuid NOT NULL,
    role text NOT NULL DEFAULT 'member'::text,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    updated_at timestamp with time zone NOT NULL DEFAULT now(),
    version bigint NOT NULL DEFAULT 0,
    CONSTRAINT chat_members_pkey PRIMARY KEY (chat_id, user_id),
    CONSTRAINT chat_members_chat_id_fkey FOREIGN KEY (chat_id, chat_kind) REFERENCES chats(id, kind) ON DELETE CASCADE,
    CONSTRAINT chat_members_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE,
    CONSTRAINT chat_members_role_chk CHECK ((role = ANY (ARRAY['owner'::text, 'admin'::text, 'member'::text]))),
    CONSTRAINT chat_members_solo_owner_chk CHECK (((chat_kind = 'group'::text) OR (role = 'owner'::text))),
    CONSTRAINT chat_members_chat_id_owner_excl EXCLUDE USING btree (chat_id WITH =) WHERE ((role = 'owner'::text)) DEFERRABLE
);
CREATE INDEX chat_members_user_id_idx ON public.chat_members USING btree (user_id, chat_id);
CREATE TRIGGER chat_members_bump_version_trg BEFORE UPDATE ON public.chat_members FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE CONSTRAINT TRIGGER chat_members_one_owner_trg AFTER INSERT OR DELETE OR UPDATE OF role, chat_id ON public.chat_members DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION chats_check_one_owner();
CREATE TRIGGER chat_members_set_updated_at_trg BEFORE UPDATE ON public.chat_members FOR EACH ROW EXECUTE FUNCTION set_updated_at();
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE chat_members TO service_app;
COMMENT ON TABLE chat_members IS 'Membership and role of a user in a chat; every chat access joins through it.';
COMMENT ON COLUMN chat_members.chat_kind IS 'The chat''s kind (copied and pinned by the composite FK).';
COMMENT ON COLUMN chat_members.role IS 'owner (exactly one per chat at every commit: chats_one_owner triggers; the only record of ownership) | admin | member.';
COMMENT ON COLUMN chat_members.created_at IS 'When the user joined the chat.';
COMMENT ON COLUMN chat_members.version IS 'Bumped by every UPDATE; If-Match of /chats/{id}/members/{uid}.';

-- Table: chats
CREATE TABLE chats (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    kind text NOT NULL,
    title text,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    updated_at timestamp with time zone NOT NULL DEFAULT now(),
    version bigint NOT NULL DEFAULT 0,
    CONSTRAINT chats_pkey PRIMARY KEY (id),
    CONSTRAINT chats_id_kind_key UNIQUE (id, kind),
    CONSTRAINT chats_kind_chk CHECK ((kind = ANY (ARRAY['solo'::text, 'group'::text]))),
    CONSTRAINT chats_title_chk CHECK ((((char_length(title) >= 1) AND (char_length(title) <= 200)) AND (btrim(title) <> ''::text))),
    CONSTRAINT chats_title_clean_chk CHECK (name_is_clean(title))
);
CREATE TRIGGER chats_bump_version_trg BEFORE UPDATE ON public.chats FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE CONSTRAINT TRIGGER chats_one_owner_trg AFTER INSERT ON public.chats DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION chats_check_one_owner();
CREATE TRIGGER chats_set_updated_at_trg BEFORE UPDATE ON public.chats FOR EACH ROW EXECUTE FUNCTION set_updated_at();
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE chats TO service_app;
COMMENT ON TABLE chats IS 'Solo and group chats (a Phase III conversation is a solo chat).';
COMMENT ON COLUMN chats.kind IS 'solo (the owner and the assistant) | group (several members); never changes.';
COMMENT ON COLUMN chats.title IS 'NULL until set, or generated from the first user message (60 characters).';
COMMENT ON COLUMN chats.updated_at IS 'Last activity: moves with every new message (and title change).';
COMMENT ON COLUMN chats.version IS 'Bumped by every UPDATE (bump_version); the ETag of /chats/{id}.';

-- Table: events
CREATE TABLE events (
    id bigint NOT NULL GENERATED ALWAYS AS IDENTITY,
    user_id uuid NOT NULL,
    raw_event_id bigint NOT NULL,
    kind text NOT NULL,
    value bigint NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    CONSTRAINT events_pkey PRIMARY KEY (id),
    CONSTRAINT events_id_user_id_key UNIQUE (id, user_id),
    CONSTRAINT events_raw_event_id_key UNIQUE (raw_event_id),
    CONSTRAINT events_raw_event_id_user_id_fkey FOREIGN KEY (raw_event_id, user_id) REFERENCES events_raw(id, user_id) ON DELETE CASCADE,
    CONSTRAINT events_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE,
    CONSTRAINT events_kind_chk CHECK ((kind = ANY (ARRAY['commits'::text, 'steps'::text]))),
    CONSTRAINT events_metadata_chk CHECK ((jsonb_typeof(metadata) = 'object'::text)),
    CONSTRAINT events_metadata_size_chk CHECK ((pg_column_size(metadata) <= 16384)),
    CONSTRAINT events_value_chk CHECK (((value >= 0) AND (value <= 1000000000)))
);
CREATE INDEX events_user_id_kind_occurred_at_idx ON public.events USING btree (user_id, kind, occurred_at DESC, id DESC) INCLUDE (value);
CREATE INDEX events_user_id_occurred_at_idx ON public.events USING btree (user_id, occurred_at DESC, id DESC);
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE events TO service_app;
COMMENT ON TABLE events IS 'Quest: normalized activity events, one per processed raw event.';
COMMENT ON COLUMN events.kind IS 'commits (GitHub push: distinct commits) | steps (Fitbit activity).';
COMMENT ON COLUMN events.value IS 'Amount of the kind: number of commits, number of steps.';
COMMENT ON COLUMN events.occurred_at IS 'When it happened at the provider (head commit time, activity date at 00:00 UTC).';
COMMENT ON COLUMN events.metadata IS 'Provider details worth showing (repository, ref, commit ids); never tokens.';
COMMENT ON CONSTRAINT events_metadata_size_chk ON events IS 'json_size.METADATA_MAX; server-written from a verified delivery whose strings providers.py bounds.';

-- Table: events_raw
CREATE TABLE events_raw (
    id bigint NOT NULL GENERATED ALWAYS AS IDENTITY,
    provider text NOT NULL,
    provider_event_id text NOT NULL,
    event_type text NOT NULL,
    external_account_id text,
    user_id uuid,
    payload jsonb NOT NULL,
    status text NOT NULL DEFAULT 'pending'::text,
    received_at timestamp with time zone NOT NULL DEFAULT now(),
    processed_at timestamp with time zone,
    CONSTRAINT events_raw_pkey PRIMARY KEY (id),
    CONSTRAINT events_raw_id_user_id_key UNIQUE (id, user_id),
    CONSTRAINT events_raw_provider_provider_event_id_key UNIQUE (provider, provider_event_id),
    CONSTRAINT events_raw_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE,
    CONSTRAINT events_raw_event_type_chk CHECK ((event_type ~ '^[a-z][a-z0-9_.-]{0,63}$'::text)),
    CONSTRAINT events_raw_external_account_id_chk CHECK (((char_length(external_account_id) >= 1) AND (char_length(external_account_id) <= 255))),
    CONSTRAINT events_raw_payload_chk CHECK ((jsonb_typeof(payload) = 'object'::text)),
    CONSTRAINT events_raw_payload_size_chk CHECK ((pg_column_size(payload) <= 262144)),
    CONSTRAINT events_raw_processed_at_chk CHECK (((status = 'processed'::text) = (processed_at IS NOT NULL))),
    CONSTRAINT events_raw_provider_chk CHECK ((provider = ANY (ARRAY['github'::text, 'fitbit'::text]))),
    CONSTRAINT events_raw_provider_event_id_chk CHECK (((char_length(provider_event_id) >= 1) AND (char_length(provider_event_id) <= 200))),
    CONSTRAINT events_raw_status_chk CHECK ((status = ANY (ARRAY['pending'::text, 'processed'::text, 'unmatched'::text]))),
    CONSTRAINT events_raw_unmatched_chk CHECK (((status = 'unmatched'::text) = (user_id IS NULL)))
);
CREATE INDEX events_raw_compact_idx ON public.events_raw USING btree (processed_at) WHERE ((status = 'processed'::text) AND (payload <> '{}'::jsonb));
CREATE INDEX events_raw_pending_idx ON public.events_raw USING btree (id) WHERE (status = 'pending'::text);
CREATE INDEX events_raw_unmatched_account_idx ON public.events_raw USING btree (provider, external_account_id, received_at) WHERE (status = 'unmatched'::text);
CREATE INDEX events_raw_unmatched_idx ON public.events_raw USING btree (received_at) WHERE (status = 'unmatched'::text);
CREATE INDEX events_raw_user_id_idx ON public.events_raw USING btree (user_id) WHERE (user_id IS NOT NULL);
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE events_raw TO service_app;
COMMENT ON TABLE events_raw IS 'Quest: signed webhook deliveries as received, one row per provider event id.';
COMMENT ON COLUMN events_raw.provider_event_id IS 'GitHub X-GitHub-Delivery; Fitbit payload id. Unique per provider.';
COMMENT ON COLUMN events_raw.event_type IS 'Provider event type: GitHub X-GitHub-Event (push), Fitbit activity.';
COMMENT ON COLUMN events_raw.external_account_id IS 'The provider account the delivery names (GitHub sender.id, Fitbit owner_id).';
COMMENT ON COLUMN events_raw.user_id IS 'Owner through the matching active integration; NULL = unmatched. Deleted with the user (payloads are personal data).';
COMMENT ON COLUMN events_raw.payload IS 'The delivery body as received (after its signature was verified); a JSON object.';
COMMENT ON COLUMN events_raw.status IS 'pending (stored, not applied yet) | processed | unmatched (no active integration; never applied).';
COMMENT ON CONSTRAINT events_raw_payload_size_chk ON events_raw IS 'API bound: json_size.PAYLOAD_MAX (service/http/json_size.py), refused first with 400/413.';

-- Table: expenses
CREATE TABLE expenses (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL,
    category_id uuid NOT NULL,
    amount numeric(12,2) NOT NULL,
    spent_on date NOT NULL,
    description text,
    payment_method text,
    tags text[] NOT NULL DEFAULT '{}'::text[],
    notes text,
    receipt_url text,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    updated_at timestamp with time zone NOT NULL DEFAULT now(),
    version bigint NOT NULL DEFAULT 0,
    CONSTRAINT expenses_pkey PRIMARY KEY (id),
    CONSTRAINT expenses_category_id_fkey FOREIGN KEY (category_id, user_id) REFERENCES categories(id, user_id) ON DELETE RESTRICT,
    CONSTRAINT expenses_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE,
    CONSTRAINT expenses_amount_chk CHECK ((amount > (0)::numeric)),
    CONSTRAINT expenses_description_chk CHECK ((char_length(description) <= 255)),
    CONSTRAINT expenses_notes_chk CHECK ((char_length(notes) <= 5000)),
    CONSTRAINT expenses_payment_method_chk CHECK (((char_length(payment_method) >= 1) AND (char_length(payment_method) <= 50))),
    CONSTRAINT expenses_receipt_url_chk CHECK (((char_length(receipt_url) <= 500) AND (receipt_url ~* '^https?://[^[:space:]]+$'::text))),
    CONSTRAINT expenses_spent_on_chk CHECK (isfinite(spent_on)),
    CONSTRAINT expenses_tags_chk CHECK (expense_tags_valid(tags))
);
CREATE INDEX expenses_category_id_user_id_idx ON public.expenses USING btree (category_id, user_id, spent_on DESC);
CREATE INDEX expenses_user_id_amount_idx ON public.expenses USING btree (user_id, amount);
CREATE INDEX expenses_user_id_spent_on_idx ON public.expenses USING btree (user_id, spent_on DESC, id DESC);
CREATE TRIGGER expenses_bump_version_trg BEFORE UPDATE ON public.expenses FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE TRIGGER expenses_set_updated_at_trg BEFORE UPDATE ON public.expenses FOR EACH ROW EXECUTE FUNCTION set_updated_at();
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE expenses TO service_app;
COMMENT ON TABLE expenses IS 'A user''s expenses; each in one of the same user''s categories.';
COMMENT ON COLUMN expenses.amount IS 'Money spent, > 0, two decimals.';
COMMENT ON COLUMN expenses.spent_on IS 'The day the money was spent (the seed''s "date").';
COMMENT ON COLUMN expenses.tags IS 'Free labels: at most 20, each 1..100 characters (expense_tags_valid).';
COMMENT ON COLUMN expenses.receipt_url IS 'Link to a receipt image; http(s) only, at most 500 characters.';
COMMENT ON COLUMN expenses.version IS 'Bumped by every UPDATE (bump_version); the ETag of /expenses/{id}.';

-- Table: goals
CREATE TABLE goals (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL,
    title text NOT NULL,
    metric_kind text NOT NULL,
    target bigint NOT NULL,
    period text NOT NULL DEFAULT 'daily'::text,
    status text NOT NULL DEFAULT 'active'::text,
    start_date date NOT NULL DEFAULT ((now() AT TIME ZONE 'UTC'::text))::date,
    end_date date,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    updated_at timestamp with time zone NOT NULL DEFAULT now(),
    version bigint NOT NULL DEFAULT 0,
    CONSTRAINT goals_pkey PRIMARY KEY (id),
    CONSTRAINT goals_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE,
    CONSTRAINT goals_dates_chk CHECK ((end_date >= start_date)),
    CONSTRAINT goals_metric_kind_chk CHECK ((metric_kind = ANY (ARRAY['commits'::text, 'steps'::text]))),
    CONSTRAINT goals_period_chk CHECK ((period = ANY (ARRAY['daily'::text, 'weekly'::text, 'monthly'::text]))),
    CONSTRAINT goals_status_chk CHECK ((status = ANY (ARRAY['active'::text, 'completed'::text, 'archived'::text]))),
    CONSTRAINT goals_target_chk CHECK (((target > 0) AND (target <= 1000000000))),
    CONSTRAINT goals_title_chk CHECK (((char_length(title) >= 1) AND (char_length(title) <= 200)))
);
CREATE INDEX goals_user_id_created_at_idx ON public.goals USING btree (user_id, created_at, id);
CREATE TRIGGER goals_bump_version_trg BEFORE UPDATE ON public.goals FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE TRIGGER goals_set_updated_at_trg BEFORE UPDATE ON public.goals FOR EACH ROW EXECUTE FUNCTION set_updated_at();
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE goals TO service_app;
COMMENT ON TABLE goals IS 'Quest: activity goals; progress is computed from events when read, never stored.';
COMMENT ON COLUMN goals.metric_kind IS 'The event kind the goal counts: commits | steps.';
COMMENT ON COLUMN goals.target IS 'Amount of metric_kind to reach per period; > 0.';
COMMENT ON COLUMN goals.period IS 'daily | weekly (ISO weeks, Monday) | monthly; UTC calendar periods.';
COMMENT ON COLUMN goals.status IS 'active | completed | archived; set by the user.';
COMMENT ON COLUMN goals.end_date IS 'Last day counted (inclusive); NULL = open-ended. >= start_date.';
COMMENT ON COLUMN goals.version IS 'Bumped by every UPDATE; with the progress, the ETag of /goals/{id}.';

-- Table: group_contexts
CREATE TABLE group_contexts (
    chat_id uuid NOT NULL,
    kind text NOT NULL DEFAULT 'group'::text,
    context_summary text,
    total_spend numeric(12,2) NOT NULL DEFAULT 0,
    last_activity_at timestamp with time zone NOT NULL DEFAULT now(),
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    updated_at timestamp with time zone NOT NULL DEFAULT now(),
    version bigint NOT NULL DEFAULT 0,
    CONSTRAINT group_contexts_pkey PRIMARY KEY (chat_id),
    CONSTRAINT group_contexts_chat_id_fkey FOREIGN KEY (chat_id, kind) REFERENCES chats(id, kind) ON DELETE CASCADE,
    CONSTRAINT group_contexts_context_summary_chk CHECK ((char_length(context_summary) <= 4000)),
    CONSTRAINT group_contexts_kind_chk CHECK ((kind = 'group'::text)),
    CONSTRAINT group_contexts_total_spend_chk CHECK ((total_spend >= (0)::numeric))
);
CREATE TRIGGER group_contexts_bump_version_trg BEFORE UPDATE ON public.group_contexts FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE TRIGGER group_contexts_set_updated_at_trg BEFORE UPDATE ON public.group_contexts FOR EACH ROW EXECUTE FUNCTION set_updated_at();
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE group_contexts TO service_app;
COMMENT ON TABLE group_contexts IS 'Shared context of a group chat: summary, total spend, last activity.';
COMMENT ON COLUMN group_contexts.kind IS 'Always ''group'': pins the chat''s kind through the composite FK.';
COMMENT ON COLUMN group_contexts.context_summary IS 'Free-text summary the assistant keeps for the group.';
COMMENT ON COLUMN group_contexts.total_spend IS 'Sum of the chat''s live (not voided) expense ledger entries; kept by ledger_entries_total_spend_trg.';
COMMENT ON COLUMN group_contexts.last_activity_at IS 'Time of the newest message or spend in the chat.';
COMMENT ON COLUMN group_contexts.version IS 'Bumped by every UPDATE; the ETag of /chats/{id}/context.';

-- Table: idempotency_keys
CREATE TABLE idempotency_keys (
    user_id uuid NOT NULL,
    idem_key text NOT NULL,
    request_hash bytea NOT NULL,
    status_code integer,
    content_type text,
    response_body bytea,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    expires_at timestamp with time zone NOT NULL,
    claim_token uuid NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000'::uuid,
    CONSTRAINT idempotency_keys_pkey PRIMARY KEY (user_id, idem_key),
    CONSTRAINT idempotency_keys_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE,
    CONSTRAINT idempotency_keys_content_type_chk CHECK ((char_length(content_type) <= 255)),
    CONSTRAINT idempotency_keys_expires_at_chk CHECK ((expires_at > created_at)),
    CONSTRAINT idempotency_keys_idem_key_chk CHECK (((char_length(idem_key) >= 1) AND (char_length(idem_key) <= 255))),
    CONSTRAINT idempotency_keys_request_hash_chk CHECK ((octet_length(request_hash) = 32)),
    CONSTRAINT idempotency_keys_response_body_size_chk CHECK ((pg_column_size(response_body) <= 1048580)),
    CONSTRAINT idempotency_keys_status_code_chk CHECK (((status_code >= 100) AND (status_code <= 599)))
);
CREATE INDEX idempotency_keys_expires_at_idx ON public.idempotency_keys USING btree (expires_at);
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE idempotency_keys TO service_app;
COMMENT ON TABLE idempotency_keys IS 'Responses to creating POSTs by (user, Idempotency-Key), replayed on retry until expires_at.';
COMMENT ON COLUMN idempotency_keys.request_hash IS 'SHA-256 of method, path and body: the same key with another request is refused (422).';
COMMENT ON COLUMN idempotency_keys.status_code IS 'NULL while the first request is still in flight.';
COMMENT ON COLUMN idempotency_keys.content_type IS 'Content-Type of the stored response (a media type, not an enum).';
COMMENT ON COLUMN idempotency_keys.claim_token IS 'Drawn by each claim; complete_key and release_key match it (a stale claim writes nothing).';
COMMENT ON CONSTRAINT idempotency_keys_response_body_size_chk ON idempotency_keys IS 'RESPONSE_MAX (service/idempotency/middleware.py) + the 4-byte bytea header; a larger response is not kept.';

-- Table: integrations
CREATE TABLE integrations (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL,
    provider text NOT NULL,
    external_account_id text NOT NULL,
    access_token_enc bytea,
    refresh_token_enc bytea,
    token_key_id text,
    scopes text[] NOT NULL DEFAULT '{}'::text[],
    status text NOT NULL DEFAULT 'active'::text,
    expires_at timestamp with time zone,
    revoked_at timestamp with time zone,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    updated_at timestamp with time zone NOT NULL DEFAULT now(),
    version bigint NOT NULL DEFAULT 0,
    CONSTRAINT integrations_pkey PRIMARY KEY (id),
    CONSTRAINT integrations_id_user_id_key UNIQUE (id, user_id),
    CONSTRAINT integrations_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE,
    CONSTRAINT integrations_access_token_enc_chk CHECK (((octet_length(access_token_enc) >= 28) AND (octet_length(access_token_enc) <= 16384))),
    CONSTRAINT integrations_external_account_id_chk CHECK (((char_length(external_account_id) >= 1) AND (char_length(external_account_id) <= 255))),
    CONSTRAINT integrations_provider_chk CHECK ((provider = ANY (ARRAY['github'::text, 'fitbit'::text]))),
    CONSTRAINT integrations_refresh_token_enc_chk CHECK (((octet_length(refresh_token_enc) >= 28) AND (octet_length(refresh_token_enc) <= 16384))),
    CONSTRAINT integrations_revoked_at_chk CHECK (((status = 'revoked'::text) = (revoked_at IS NOT NULL))),
    CONSTRAINT integrations_scopes_chk CHECK ((cardinality(scopes) <= 64)),
    CONSTRAINT integrations_status_chk CHECK ((status = ANY (ARRAY['active'::text, 'revoked'::text, 'error'::text]))),
    CONSTRAINT integrations_token_key_id_chk CHECK ((token_key_id ~ '^[A-Za-z0-9_-]{1,32}$'::text)),
    CONSTRAINT integrations_tokens_chk CHECK (
CASE
    WHEN (status = 'revoked'::text) THEN ((access_token_enc IS NULL) AND (refresh_token_enc IS NULL) AND (token_key_id IS NULL))
    ELSE ((access_token_enc IS NOT NULL) AND (token_key_id IS NOT NULL))
END)
);
CREATE UNIQUE INDEX integrations_provider_external_account_id_key ON public.integrations USING btree (provider, external_account_id) WHERE (status <> 'revoked'::text);
CREATE INDEX integrations_user_id_created_at_idx ON public.integrations USING btree (user_id, created_at DESC, id DESC);
CREATE UNIQUE INDEX integrations_user_id_provider_key ON public.integrations USING btree (user_id, provider) WHERE (status <> 'revoked'::text);
CREATE TRIGGER integrations_bump_version_trg BEFORE UPDATE ON public.integrations FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE TRIGGER integrations_set_updated_at_trg BEFORE UPDATE ON public.integrations FOR EACH ROW EXECUTE FUNCTION set_updated_at();
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE integrations TO service_app;
COMMENT ON TABLE integrations IS 'Quest: OAuth connections to activity providers; tokens encrypted by the service.';
COMMENT ON COLUMN integrations.external_account_id IS 'The account id at the provider (GitHub numeric user id, Fitbit owner id); webhooks name it.';
COMMENT ON COLUMN integrations.access_token_enc IS 'AES-GCM: 12-byte nonce || ciphertext || tag, by the service; NULL once revoked.';
COMMENT ON COLUMN integrations.refresh_token_enc IS 'Like access_token_enc; NULL when the provider gave none or once revoked.';
COMMENT ON COLUMN integrations.token_key_id IS 'Id of the TOKEN_KEYS key that encrypted both tokens (key rotation).';
COMMENT ON COLUMN integrations.status IS 'active | revoked | error; only active integrations receive webhook events.';
COMMENT ON COLUMN integrations.version IS 'Bumped by every UPDATE; the ETag of /integrations/{id}.';

-- Table: known_sign_in_addresses
CREATE TABLE known_sign_in_addresses (
    user_id uuid NOT NULL,
    address text NOT NULL,
    last_success_at timestamp with time zone NOT NULL DEFAULT now(),
    CONSTRAINT known_sign_in_addresses_pkey PRIMARY KEY (user_id, address),
    CONSTRAINT known_sign_in_addresses_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE,
    CONSTRAINT known_sign_in_addresses_address_chk CHECK (((char_length(address) >= 1) AND (char_length(address) <= 100)))
);
CREATE INDEX known_sign_in_addresses_last_success_at_idx ON public.known_sign_in_addresses USING btree (last_success_at);
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE known_sign_in_addresses TO service_app;
COMMENT ON TABLE known_sign_in_addresses IS 'Client addresses each account signed in from successfully; exempt from the per-account attempt limit.';
COMMENT ON COLUMN known_sign_in_addresses.address IS 'The client address as the rate limiter sees it (the peer, or the proxy behind which it sits).';
COMMENT ON COLUMN known_sign_in_addresses.last_success_at IS 'Last successful sign-in from this address; rows older than the retention are purged.';

-- Table: ledger_entries
CREATE TABLE ledger_entries (
    id bigint NOT NULL GENERATED ALWAYS AS IDENTITY,
    chat_id uuid NOT NULL,
    chat_kind text NOT NULL DEFAULT 'group'::text,
    kind text NOT NULL DEFAULT 'expense'::text,
    split_kind text NOT NULL,
    payer_id uuid,
    amount numeric(12,2) NOT NULL,
    description text NOT NULL,
    spent_on date NOT NULL,
    message_id bigint,
    created_by uuid,
    voided_at timestamp with time zone,
    voided_by uuid,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    updated_at timestamp with time zone NOT NULL DEFAULT now(),
    version bigint NOT NULL DEFAULT 0,
    CONSTRAINT ledger_entries_pkey PRIMARY KEY (chat_id, id),
    CONSTRAINT ledger_entries_chat_id_fkey FOREIGN KEY (chat_id, chat_kind) REFERENCES chats(id, kind) ON DELETE CASCADE,
    CONSTRAINT ledger_entries_created_by_fkey FOREIGN KEY (created_by) REFERENCES users(id) ON DELETE SET NULL,
    CONSTRAINT ledger_entries_message_id_fkey FOREIGN KEY (message_id) REFERENCES messages(id) ON DELETE SET NULL,
    CONSTRAINT ledger_entries_payer_id_fkey FOREIGN KEY (payer_id) REFERENCES users(id) ON DELETE SET NULL,
    CONSTRAINT ledger_entries_voided_by_fkey FOREIGN KEY (voided_by) REFERENCES users(id) ON DELETE SET NULL,
    CONSTRAINT ledger_entries_amount_chk CHECK ((amount > (0)::numeric)),
    CONSTRAINT ledger_entries_chat_kind_chk CHECK ((chat_kind = 'group'::text)),
    CONSTRAINT ledger_entries_description_chk CHECK (((char_length(description) >= 1) AND (char_length(description) <= 200))),
    CONSTRAINT ledger_entries_kind_chk CHECK ((kind = ANY (ARRAY['expense'::text, 'settlement'::text]))),
    CONSTRAINT ledger_entries_settlement_chk CHECK (((kind = 'expense'::text) OR (split_kind = 'exact'::text))),
    CONSTRAINT ledger_entries_split_kind_chk CHECK ((split_kind = ANY (ARRAY['equal'::text, 'exact'::text, 'shares'::text]))),
    CONSTRAINT ledger_entries_voided_chk CHECK (((voided_at IS NOT NULL) OR (voided_by IS NULL)))
);
CREATE INDEX ledger_entries_created_by_idx ON public.ledger_entries USING btree (created_by) WHERE (created_by IS NOT NULL);
CREATE INDEX ledger_entries_message_id_idx ON public.ledger_entries USING btree (message_id) WHERE (message_id IS NOT NULL);
CREATE INDEX ledger_entries_payer_id_idx ON public.ledger_entries USING btree (payer_id) WHERE (payer_id IS NOT NULL);
CREATE INDEX ledger_entries_voided_by_idx ON public.ledger_entries USING btree (voided_by) WHERE (voided_by IS NOT NULL);
CREATE TRIGGER ledger_entries_bump_version_trg BEFORE UPDATE ON public.ledger_entries FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE TRIGGER ledger_entries_set_updated_at_trg BEFORE UPDATE ON public.ledger_entries FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE CONSTRAINT TRIGGER ledger_entries_shares_sum_trg AFTER INSERT OR UPDATE OF amount ON public.ledger_entries DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_check_shares_sum();
CREATE TRIGGER ledger_entries_total_spend_trg AFTER INSERT OR DELETE OR UPDATE OF amount, kind, voided_at ON public.ledger_entries FOR EACH ROW EXECUTE FUNCTION ledger_keep_total_spend();
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE ledger_entries TO service_app;
COMMENT ON TABLE ledger_entries IS 'Split-bill ledger of a group chat: expenses and settlements; voided, never deleted; lives as long as its chat.';
COMMENT ON COLUMN ledger_entries.chat_kind IS 'Always ''group'': pins the chat''s kind through the composite FK.';
COMMENT ON COLUMN ledger_entries.kind IS 'expense (counts in total_spend) | settlement (payer paid the one share holder back).';
COMMENT ON COLUMN ledger_entries.split_kind IS 'How the amount was shared: equal | exact | shares (by weight).';
COMMENT ON COLUMN ledger_entries.payer_id IS 'Who paid; NULL once that account is deleted (shown as a deleted member).';
COMMENT ON COLUMN ledger_entries.message_id IS 'The message (e.g. the assistant''s split card) that proposed the entry.';
COMMENT ON COLUMN ledger_entries.created_by IS 'Who recorded the entry: may void it (as may the owner and admins).';
COMMENT ON COLUMN ledger_entries.voided_at IS 'Set when the entry is voided: it stays visible and stops counting.';

-- Table: ledger_shares
CREATE TABLE ledger_shares (
    id bigint NOT NULL GENERATED ALWAYS AS IDENTITY,
    chat_id uuid NOT NULL,
    entry_id bigint NOT NULL,
    user_id uuid,
    weight bigint,
    amount numeric(12,2) NOT NULL,
    CONSTRAINT ledger_shares_pkey PRIMARY KEY (chat_id, id),
    CONSTRAINT ledger_shares_chat_id_entry_id_user_id_key UNIQUE (chat_id, entry_id, user_id),
    CONSTRAINT ledger_shares_entry_id_fkey FOREIGN KEY (chat_id, entry_id) REFERENCES ledger_entries(chat_id, id) ON DELETE CASCADE,
    CONSTRAINT ledger_shares_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE SET NULL,
    CONSTRAINT ledger_shares_amount_chk CHECK ((amount >= (0)::numeric)),
    CONSTRAINT ledger_shares_weight_chk CHECK (((weight >= 1) AND (weight <= 1000)))
);
CREATE INDEX ledger_shares_user_id_idx ON public.ledger_shares USING btree (user_id) WHERE (user_id IS NOT NULL);
CREATE CONSTRAINT TRIGGER ledger_shares_sum_trg AFTER INSERT OR DELETE OR UPDATE OF amount, entry_id, chat_id ON public.ledger_shares DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_check_shares_sum();
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE ledger_shares TO service_app;
COMMENT ON TABLE ledger_shares IS 'Who owes what of a ledger entry; the shares of an entry add up to its amount at every commit.';
COMMENT ON COLUMN ledger_shares.user_id IS 'The member who owes the share; NULL once that account is deleted.';
COMMENT ON COLUMN ledger_shares.weight IS 'The member''s number of shares (split_kind shares; 1 for equal; NULL for exact).';

-- Table: linked_accounts
CREATE TABLE linked_accounts (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL,
    institution text NOT NULL,
    account_name text NOT NULL,
    permissions jsonb NOT NULL DEFAULT '[]'::jsonb,
    knot_item_id text NOT NULL,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    updated_at timestamp with time zone NOT NULL DEFAULT now(),
    version bigint NOT NULL DEFAULT 0,
    CONSTRAINT linked_accounts_pkey PRIMARY KEY (id),
    CONSTRAINT linked_accounts_knot_item_id_key UNIQUE (knot_item_id),
    CONSTRAINT linked_accounts_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE,
    CONSTRAINT linked_accounts_account_name_chk CHECK (((char_length(account_name) >= 1) AND (char_length(account_name) <= 200))),
    CONSTRAINT linked_accounts_institution_chk CHECK (((char_length(institution) >= 1) AND (char_length(institution) <= 100))),
    CONSTRAINT linked_accounts_knot_item_id_chk CHECK (((char_length(knot_item_id) >= 1) AND (char_length(knot_item_id) <= 255))),
    CONSTRAINT linked_accounts_permissions_chk CHECK (((jsonb_typeof(permissions) = 'array'::text) AND (NOT jsonb_path_exists(permissions, 'strict $[*]?(@.type() != "string")'::jsonpath)))),
    CONSTRAINT linked_accounts_permissions_size_chk CHECK ((pg_column_size(permissions) <= 24576))
);
CREATE INDEX linked_accounts_user_id_created_at_id_idx ON public.linked_accounts USING btree (user_id, created_at DESC, id DESC);
CREATE TRIGGER linked_accounts_bump_version_trg BEFORE UPDATE ON public.linked_accounts FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE TRIGGER linked_accounts_set_updated_at_trg BEFORE UPDATE ON public.linked_accounts FOR EACH ROW EXECUTE FUNCTION set_updated_at();
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE linked_accounts TO service_app;
COMMENT ON TABLE linked_accounts IS 'Accounts at other institutions a user linked through Knot (Lattice).';
COMMENT ON COLUMN linked_accounts.institution IS 'Display name of the institution, e.g. Amazon, DoorDash.';
COMMENT ON COLUMN linked_accounts.permissions IS 'What the link may read or do: a JSON array of strings.';
COMMENT ON COLUMN linked_accounts.knot_item_id IS 'Knot''s id of this link; unique across all users.';
COMMENT ON COLUMN linked_accounts.version IS 'Bumped by every UPDATE; the ETag of /linked-accounts/{id}.';
COMMENT ON CONSTRAINT linked_accounts_permissions_size_chk ON linked_accounts IS 'API bound: json_size.PERMISSIONS_MAX (service/http/json_size.py), refused first with 400/413.';

-- Table: messages
CREATE TABLE messages (
    id bigint NOT NULL GENERATED ALWAYS AS IDENTITY,
    chat_id uuid NOT NULL,
    sender_id uuid,
    role text NOT NULL,
    content text,
    thinking jsonb NOT NULL DEFAULT '[]'::jsonb,
    action text NOT NULL DEFAULT 'none'::text,
    drawer_data jsonb,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    updated_at timestamp with time zone,
    edited_at timestamp with time zone,
    deleted_at timestamp with time zone,
    version bigint NOT NULL DEFAULT 0,
    CONSTRAINT messages_pkey PRIMARY KEY (id),
    CONSTRAINT messages_chat_id_fkey FOREIGN KEY (chat_id) REFERENCES chats(id) ON DELETE CASCADE,
    CONSTRAINT messages_sender_id_fkey FOREIGN KEY (sender_id) REFERENCES users(id) ON DELETE SET NULL,
    CONSTRAINT messages_action_chk CHECK ((action = ANY (ARRAY['card'::text, 'split'::text, 'tracker'::text, 'none'::text]))),
    CONSTRAINT messages_content_chk CHECK (((char_length(content) >= 1) AND (char_length(content) <= 32000))),
    CONSTRAINT messages_drawer_data_chk CHECK ((jsonb_typeof(drawer_data) = 'object'::text)),
    CONSTRAINT messages_drawer_data_size_chk CHECK ((pg_column_size(drawer_data) <= 65536)),
    CONSTRAINT messages_role_chk CHECK ((role = ANY (ARRAY['user'::text, 'assistant'::text]))),
    CONSTRAINT messages_sender_chk CHECK (((role = 'user'::text) OR (sender_id IS NULL))),
    CONSTRAINT messages_thinking_chk CHECK ((jsonb_typeof(thinking) = 'array'::text)),
    CONSTRAINT messages_thinking_items_chk CHECK (
CASE
    WHEN (jsonb_typeof(thinking) = 'array'::text) THEN (jsonb_array_length(thinking) <= 100)
    ELSE false
END),
    CONSTRAINT messages_thinking_size_chk CHECK ((pg_column_size(thinking) <= 65536)),
    CONSTRAINT messages_tombstone_chk CHECK (((deleted_at IS NULL) = (content IS NOT NULL)))
);
CREATE INDEX messages_chat_id_idx ON public.messages USING btree (chat_id, id);
CREATE INDEX messages_sender_id_idx ON public.messages USING btree (sender_id) WHERE (sender_id IS NOT NULL);
CREATE TRIGGER messages_bump_version_trg BEFORE UPDATE ON public.messages FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE TRIGGER messages_set_updated_at_trg BEFORE UPDATE ON public.messages FOR EACH ROW EXECUTE FUNCTION set_updated_at();
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE messages TO service_app;
COMMENT ON TABLE messages IS 'Chat messages; ids give the chronological order.  A user may edit or delete (tombstone) their own.';
COMMENT ON COLUMN messages.sender_id IS 'The author of a user message; NULL for assistant messages and deleted accounts.';
COMMENT ON COLUMN messages.role IS 'user | assistant (Lattice''s sender_type ai).';
COMMENT ON COLUMN messages.content IS 'The text; NULL only for a tombstone (deleted_at set).';
COMMENT ON COLUMN messages.thinking IS 'The assistant''s reasoning steps: a JSON array, empty when none.';
COMMENT ON COLUMN messages.action IS 'What the app shows with the message: card | split | tracker | none.';
COMMENT ON COLUMN messages.drawer_data IS 'Payload of the app''s context drawer: a JSON object, or NULL.';
COMMENT ON COLUMN messages.updated_at IS 'Last change of the row (set_updated_at); NULL: unchanged since created_at.';
COMMENT ON COLUMN messages.edited_at IS 'When the author last edited the content (the "edited" marker).';
COMMENT ON COLUMN messages.deleted_at IS 'Tombstone: the message was deleted; content, thinking and drawer_data are cleared; kept with the chat.';
COMMENT ON COLUMN messages.version IS 'Bumped by every UPDATE (bump_version); the ETag of /chats/{id}/messages/{mid}.';
COMMENT ON CONSTRAINT messages_drawer_data_size_chk ON messages IS 'API bound: json_size.DRAWER_DATA_MAX (service/http/json_size.py), refused first with 400/413.';
COMMENT ON CONSTRAINT messages_thinking_size_chk ON messages IS 'API bound: json_size.THINKING_MAX (service/http/json_size.py), refused first with 400/413.';

-- Table: metrics_cache
CREATE TABLE metrics_cache (
    user_id uuid NOT NULL,
    day date NOT NULL,
    kind text NOT NULL,
    total bigint NOT NULL,
    event_count bigint NOT NULL,
    updated_at timestamp with time zone NOT NULL DEFAULT now(),
    CONSTRAINT metrics_cache_pkey PRIMARY KEY (user_id, day, kind),
    CONSTRAINT metrics_cache_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE,
    CONSTRAINT metrics_cache_event_count_chk CHECK ((event_count >= 1)),
    CONSTRAINT metrics_cache_kind_chk CHECK ((kind = ANY (ARRAY['commits'::text, 'steps'::text]))),
    CONSTRAINT metrics_cache_total_chk CHECK ((total >= 0))
);
CREATE TRIGGER metrics_cache_set_updated_at_trg BEFORE UPDATE ON public.metrics_cache FOR EACH ROW EXECUTE FUNCTION set_updated_at();
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE metrics_cache TO service_app;
COMMENT ON TABLE metrics_cache IS 'Quest: daily totals per event kind, derived from events; rebuildable from them.';
COMMENT ON COLUMN metrics_cache.day IS 'UTC calendar day of events.occurred_at.';
COMMENT ON COLUMN metrics_cache.total IS 'Sum of events.value of that user, day and kind.';
COMMENT ON COLUMN metrics_cache.event_count IS 'Number of events summed into total.';

-- Table: pets
CREATE TABLE pets (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL,
    name text NOT NULL,
    species text NOT NULL DEFAULT 'machi'::text,
    energy integer NOT NULL DEFAULT 100,
    hunger integer NOT NULL DEFAULT 0,
    level bigint NOT NULL DEFAULT 1,
    xp bigint NOT NULL DEFAULT 0,
    traits jsonb NOT NULL DEFAULT '{}'::jsonb,
    last_event_id bigint,
    last_update timestamp with time zone NOT NULL DEFAULT now(),
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    updated_at timestamp with time zone NOT NULL DEFAULT now(),
    version bigint NOT NULL DEFAULT 0,
    gauges_at timestamp with time zone NOT NULL DEFAULT now(),
    CONSTRAINT pets_pkey PRIMARY KEY (id),
    CONSTRAINT pets_last_event_id_user_id_fkey FOREIGN KEY (last_event_id, user_id) REFERENCES events(id, user_id) ON DELETE SET NULL (last_event_id),
    CONSTRAINT pets_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE,
    CONSTRAINT pets_energy_chk CHECK (((energy >= 0) AND (energy <= 100))),
    CONSTRAINT pets_hunger_chk CHECK (((hunger >= 0) AND (hunger <= 100))),
    CONSTRAINT pets_level_chk CHECK ((level >= 1)),
    CONSTRAINT pets_name_chk CHECK (((char_length(name) >= 1) AND (char_length(name) <= 50))),
    CONSTRAINT pets_name_clean_chk CHECK (name_is_clean(name)),
    CONSTRAINT pets_species_chk CHECK (((char_length(species) >= 1) AND (char_length(species) <= 32))),
    CONSTRAINT pets_traits_chk CHECK ((jsonb_typeof(traits) = 'object'::text)),
    CONSTRAINT pets_traits_size_chk CHECK ((pg_column_size(traits) <= 16384)),
    CONSTRAINT pets_xp_chk CHECK ((xp >= 0))
);
CREATE INDEX pets_last_event_id_user_id_idx ON public.pets USING btree (last_event_id, user_id) WHERE (last_event_id IS NOT NULL);
CREATE INDEX pets_user_id_created_at_idx ON public.pets USING btree (user_id, created_at, id);
CREATE TRIGGER pets_bump_version_trg BEFORE UPDATE ON public.pets FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE TRIGGER pets_set_updated_at_trg BEFORE UPDATE ON public.pets FOR EACH ROW EXECUTE FUNCTION set_updated_at();
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE pets TO service_app;
COMMENT ON TABLE pets IS 'Quest: virtual pets; state columns are clamped to their CHECK bounds by the event rules.';
COMMENT ON COLUMN pets.energy IS '0..100; steps restore it, commits tire the pet.';
COMMENT ON COLUMN pets.hunger IS '0..100; commits make the pet hungry, the app feeds it (PATCH).';
COMMENT ON COLUMN pets.level IS '>= 1; 1 + xp / 100, kept with xp by event processing.';
COMMENT ON COLUMN pets.xp IS '>= 0; earned from events only.';
COMMENT ON COLUMN pets.traits IS 'Free-form traits (colour, mood, ...); always a JSON object.';
COMMENT ON COLUMN pets.last_event_id IS 'The last event applied to this pet; NULL before the first.';
COMMENT ON COLUMN pets.last_update IS 'When the state last changed (event applied or PATCH).';
COMMENT ON COLUMN pets.version IS 'Bumped by every UPDATE (bump_version); with the state, the ETag of /pets/{id}.';
COMMENT ON COLUMN pets.gauges_at IS 'When energy and hunger had their stored values; the API shows pet_energy_now() / pet_hunger_now().';
COMMENT ON CONSTRAINT pets_traits_size_chk ON pets IS 'API bound: json_size.TRAITS_MAX (service/http/json_size.py), refused first with 400/413.';

-- Table: quest_daily_xp
CREATE TABLE quest_daily_xp (
    user_id uuid NOT NULL,
    day date NOT NULL,
    xp_applied bigint NOT NULL,
    xp_withheld bigint NOT NULL,
    last_granted bigint NOT NULL,
    CONSTRAINT quest_daily_xp_pkey PRIMARY KEY (user_id, day),
    CONSTRAINT quest_daily_xp_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE,
    CONSTRAINT quest_daily_xp_last_granted_chk CHECK (((last_granted >= 0) AND (last_granted <= xp_applied))),
    CONSTRAINT quest_daily_xp_xp_applied_chk CHECK ((xp_applied >= 0)),
    CONSTRAINT quest_daily_xp_xp_withheld_chk CHECK ((xp_withheld >= 0))
);
CREATE INDEX quest_daily_xp_day_idx ON public.quest_daily_xp USING btree (day);
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE quest_daily_xp TO service_app;
COMMENT ON TABLE quest_daily_xp IS 'Quest: xp granted to an account''s pets per UTC day (capped) and what the caps withheld.';
COMMENT ON COLUMN quest_daily_xp.xp_applied IS 'xp applied to the pets this day; never above the daily cap in force.';
COMMENT ON COLUMN quest_daily_xp.xp_withheld IS 'xp that deliveries asked for beyond the per-delivery and daily caps.';
COMMENT ON COLUMN quest_daily_xp.last_granted IS 'xp granted to the latest delivery (what the upsert returns).';

-- Table: rate_limits
CREATE UNLOGGED TABLE rate_limits (
    bucket text NOT NULL,
    window_start timestamp with time zone NOT NULL,
    hits integer NOT NULL,
    CONSTRAINT rate_limits_pkey PRIMARY KEY (bucket),
    CONSTRAINT rate_limits_bucket_chk CHECK (((char_length(bucket) >= 1) AND (char_length(bucket) <= 200))),
    CONSTRAINT rate_limits_hits_chk CHECK ((hits >= 1))
);
CREATE INDEX rate_limits_window_start_idx ON public.rate_limits USING btree (window_start);
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE rate_limits TO service_app;
COMMENT ON TABLE rate_limits IS 'Sign-in attempt counters per bucket (hashed account email or client address) for the current window.';
COMMENT ON COLUMN rate_limits.bucket IS 'kind:value, e.g. login-account:<sha256 of email>, login-addr:<ip>.';

-- Table: tasks
CREATE TABLE tasks (
    id bigint NOT NULL GENERATED ALWAYS AS IDENTITY,
    user_id uuid NOT NULL,
    title text NOT NULL,
    description text,
    completed boolean NOT NULL DEFAULT false,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    updated_at timestamp with time zone NOT NULL DEFAULT now(),
    version bigint NOT NULL DEFAULT 0,
    CONSTRAINT tasks_pkey PRIMARY KEY (id),
    CONSTRAINT tasks_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE,
    CONSTRAINT tasks_description_chk CHECK ((char_length(description) <= 2000)),
    CONSTRAINT tasks_title_chk CHECK ((((char_length(title) >= 1) AND (char_length(title) <= 200)) AND (btrim(title) <> ''::text)))
);
CREATE INDEX tasks_user_id_completed_id_idx ON public.tasks USING btree (user_id, completed, id DESC);
CREATE INDEX tasks_user_id_id_idx ON public.tasks USING btree (user_id, id DESC);
CREATE INDEX tasks_user_id_title_idx ON public.tasks USING gin (user_id, title gin_trgm_ops);
CREATE TRIGGER tasks_bump_version_trg BEFORE UPDATE ON public.tasks FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE TRIGGER tasks_set_updated_at_trg BEFORE UPDATE ON public.tasks FOR EACH ROW EXECUTE FUNCTION set_updated_at();
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE tasks TO service_app;
COMMENT ON TABLE tasks IS 'Todo items of the Phase III app; each belongs to one user.';
COMMENT ON COLUMN tasks.title IS '1..200 characters, not only whitespace.';
COMMENT ON COLUMN tasks.description IS 'Optional details, up to 2000 characters.';
COMMENT ON COLUMN tasks.version IS 'Bumped by every UPDATE (bump_version); the ETag of /tasks/{id}.';

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
    version bigint NOT NULL DEFAULT 0,
    deleted_at timestamp with time zone,
    CONSTRAINT users_pkey PRIMARY KEY (id),
    CONSTRAINT users_auth_provider_id_key UNIQUE (auth_provider, auth_provider_id),
    CONSTRAINT users_email_key UNIQUE (email),
    CONSTRAINT users_auth_provider_chk CHECK ((auth_provider ~ '^[a-z][a-z0-9_-]{0,31}$'::text)),
    CONSTRAINT users_auth_provider_id_chk CHECK (((char_length(auth_provider_id) >= 1) AND (char_length(auth_provider_id) <= 255))),
    CONSTRAINT users_credentials_chk CHECK ((((auth_provider = 'password'::text) = (auth_provider_id IS NULL)) AND ((auth_provider <> 'password'::text) OR (password_hash IS NOT NULL)))),
    CONSTRAINT users_display_name_chk CHECK (((char_length(display_name) >= 1) AND (char_length(display_name) <= 100))),
    CONSTRAINT users_display_name_clean_chk CHECK (name_is_clean(display_name)),
    CONSTRAINT users_email_chk CHECK (((email = lower(email)) AND (char_length(email) <= 254) AND (email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'::text))),
    CONSTRAINT users_onboarding_status_chk CHECK ((onboarding_status = ANY (ARRAY['incomplete'::text, 'complete'::text, 'skipped'::text]))),
    CONSTRAINT users_password_hash_chk CHECK ((password_hash ~~ '$argon2id$%'::text)),
    CONSTRAINT users_preferences_chk CHECK ((jsonb_typeof(preferences) = 'object'::text)),
    CONSTRAINT users_preferences_size_chk CHECK ((pg_column_size(preferences) <= 16384)),
    CONSTRAINT users_username_chk CHECK ((username ~ '^[A-Za-z0-9_.-]{3,32}$'::text))
);
CREATE INDEX users_deleted_at_idx ON public.users USING btree (deleted_at) WHERE (deleted_at IS NOT NULL);
CREATE UNIQUE INDEX users_username_lower_key ON public.users USING btree (lower(username));
CREATE TRIGGER users_bump_version_trg BEFORE UPDATE ON public.users FOR EACH ROW EXECUTE FUNCTION bump_version();
CREATE TRIGGER users_set_updated_at_trg BEFORE UPDATE ON public.users FOR EACH ROW EXECUTE FUNCTION set_updated_at();
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE users TO service_app;
COMMENT ON TABLE users IS 'Accounts of all four apps: password or external-identity sign-in.';
COMMENT ON COLUMN users.email IS 'Lower-case; unique, so unique regardless of case.';
COMMENT ON COLUMN users.password_hash IS 'argon2id PHC string; NULL for external-identity accounts.';
COMMENT ON COLUMN users.auth_provider IS '''password'' for local accounts, else the external issuer''s name.';
COMMENT ON COLUMN users.auth_provider_id IS 'Subject id at the external provider; NULL for local accounts.';
COMMENT ON COLUMN users.onboarding_status IS 'incomplete | complete | skipped (Lattice onboarding).';
COMMENT ON COLUMN users.preferences IS 'Free-form app preferences; always a JSON object.';
COMMENT ON COLUMN users.version IS 'Bumped by every UPDATE (bump_version); the ETag of /me.';
COMMENT ON COLUMN users.deleted_at IS 'When DELETE /me marked the account deleted; the account_purge job deletes the row later (README, "Account deletion").';
COMMENT ON CONSTRAINT users_preferences_size_chk ON users IS 'API bound: json_size.PREFERENCES_MAX (service/http/json_size.py), refused first with 400/413.';
