-- 0180_create_ledger
-- The split-bill ledger of a group chat (issue #16): who paid how much for
-- whom.  An entry (an expense, or a settlement: member A paid member B) has
-- an amount and is shared among members by ledger_shares rows; the shares of
-- an entry add up to its amount exactly, checked at COMMIT by a deferred
-- constraint trigger (ledger_shares_sum), so no statement order or partial
-- write can commit an unbalanced entry.  Entries are never deleted: a
-- correction voids one (voided_at), and it stays visible.
-- group_contexts.total_spend becomes the sum of the chat's live expense
-- entries, kept by a trigger on ledger_entries in the writing statement
-- (ledger_entries_total_spend_trg); a chat's existing total_spend is carried
-- over as one opening entry paid and owed by its owner (balances stay zero).
-- Payers and share holders are users ON DELETE SET NULL: an account's
-- deletion leaves every entry and every other member's balance as it was.
-- Retention: entries and shares live as long as their chat (financial
-- records; deleting the chat deletes them).
-- depends: 0178_skip_noop_updates
SET lock_timeout = '5s';
SET statement_timeout = '60s';
SET search_path = public, pg_catalog;

CREATE TABLE ledger_entries (
    id bigint GENERATED ALWAYS AS IDENTITY,
    chat_id uuid NOT NULL,
    chat_kind text NOT NULL DEFAULT 'group',
    kind text NOT NULL DEFAULT 'expense',
    split_kind text NOT NULL,
    payer_id uuid,
    amount numeric(12, 2) NOT NULL,
    description text NOT NULL,
    spent_on date NOT NULL,
    message_id bigint,
    created_by uuid,
    voided_at timestamptz,
    voided_by uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    version bigint NOT NULL DEFAULT 0,
    -- The chat leads the key: a group's ledger is read by chat, and the key carries the tenant
    -- column a Citus layout distributes by (docs/scale-out.md).
    CONSTRAINT ledger_entries_pkey PRIMARY KEY (chat_id, id),
    -- Served by ledger_entries_pkey, which starts with chat_id.
    CONSTRAINT ledger_entries_chat_id_fkey FOREIGN KEY (chat_id, chat_kind)
        REFERENCES chats (id, kind) ON DELETE CASCADE,
    CONSTRAINT ledger_entries_payer_id_fkey FOREIGN KEY (payer_id)
        REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT ledger_entries_created_by_fkey FOREIGN KEY (created_by)
        REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT ledger_entries_voided_by_fkey FOREIGN KEY (voided_by)
        REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT ledger_entries_message_id_fkey FOREIGN KEY (message_id)
        REFERENCES messages (id) ON DELETE SET NULL,
    CONSTRAINT ledger_entries_chat_kind_chk CHECK (chat_kind = 'group'),
    CONSTRAINT ledger_entries_kind_chk CHECK (kind IN ('expense', 'settlement')),
    CONSTRAINT ledger_entries_split_kind_chk CHECK (split_kind IN ('equal', 'exact', 'shares')),
    CONSTRAINT ledger_entries_settlement_chk CHECK (kind = 'expense' OR split_kind = 'exact'),
    CONSTRAINT ledger_entries_amount_chk CHECK (amount > 0),
    CONSTRAINT ledger_entries_description_chk CHECK (char_length(description) BETWEEN 1 AND 200),
    CONSTRAINT ledger_entries_voided_chk CHECK (voided_at IS NOT NULL OR voided_by IS NULL)
);

-- Each serves its user FK (SET NULL on account deletion).
-- The table is created empty in this migration: nothing to block, no need for CONCURRENTLY.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX ledger_entries_payer_id_idx ON ledger_entries (payer_id) WHERE payer_id IS NOT NULL;
-- The table is created empty in this migration: nothing to block, no need for CONCURRENTLY.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX ledger_entries_created_by_idx ON ledger_entries (created_by) WHERE created_by IS NOT NULL;
-- The table is created empty in this migration: nothing to block, no need for CONCURRENTLY.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX ledger_entries_voided_by_idx ON ledger_entries (voided_by) WHERE voided_by IS NOT NULL;
-- Serves the message FK (SET NULL if a message row is ever deleted); created empty, as above.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX ledger_entries_message_id_idx ON ledger_entries (message_id) WHERE message_id IS NOT NULL;

CREATE TRIGGER ledger_entries_set_updated_at_trg
BEFORE UPDATE ON ledger_entries
FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TRIGGER ledger_entries_bump_version_trg
BEFORE UPDATE ON ledger_entries
FOR EACH ROW EXECUTE FUNCTION bump_version();

COMMENT ON TABLE ledger_entries IS
    'Split-bill ledger of a group chat: expenses and settlements; voided, never deleted; lives as long as its chat.';
COMMENT ON COLUMN ledger_entries.chat_kind IS 'Always ''group'': pins the chat''s kind through the composite FK.';
COMMENT ON COLUMN ledger_entries.kind IS 'expense (counts in total_spend) | settlement (payer paid the one share holder back).';
COMMENT ON COLUMN ledger_entries.split_kind IS 'How the amount was shared: equal | exact | shares (by weight).';
COMMENT ON COLUMN ledger_entries.payer_id IS 'Who paid; NULL once that account is deleted (shown as a deleted member).';
COMMENT ON COLUMN ledger_entries.message_id IS 'The message (e.g. the assistant''s split card) that proposed the entry.';
COMMENT ON COLUMN ledger_entries.created_by IS 'Who recorded the entry: may void it (as may the owner and admins).';
COMMENT ON COLUMN ledger_entries.voided_at IS 'Set when the entry is voided: it stays visible and stops counting.';

CREATE TABLE ledger_shares (
    id bigint GENERATED ALWAYS AS IDENTITY,
    chat_id uuid NOT NULL,
    entry_id bigint NOT NULL,
    user_id uuid,
    weight bigint,
    amount numeric(12, 2) NOT NULL,
    CONSTRAINT ledger_shares_pkey PRIMARY KEY (chat_id, id),
    -- One share per member and entry (shares of deleted accounts, NULL, are distinct).
    CONSTRAINT ledger_shares_chat_id_entry_id_user_id_key UNIQUE (chat_id, entry_id, user_id),
    -- Served by ledger_shares_chat_id_entry_id_user_id_key, which starts with (chat_id, entry_id).
    CONSTRAINT ledger_shares_entry_id_fkey FOREIGN KEY (chat_id, entry_id)
        REFERENCES ledger_entries (chat_id, id) ON DELETE CASCADE,
    CONSTRAINT ledger_shares_user_id_fkey FOREIGN KEY (user_id)
        REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT ledger_shares_weight_chk CHECK (weight BETWEEN 1 AND 1000),
    CONSTRAINT ledger_shares_amount_chk CHECK (amount >= 0)
);

-- Serves the user FK (SET NULL on account deletion); the table is created empty here.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX ledger_shares_user_id_idx ON ledger_shares (user_id) WHERE user_id IS NOT NULL;

COMMENT ON TABLE ledger_shares IS
    'Who owes what of a ledger entry; the shares of an entry add up to its amount at every commit.';
COMMENT ON COLUMN ledger_shares.user_id IS 'The member who owes the share; NULL once that account is deleted.';
COMMENT ON COLUMN ledger_shares.weight IS 'The member''s number of shares (split_kind shares; 1 for equal; NULL for exact).';

CREATE FUNCTION ledger_check_shares_sum() RETURNS trigger
LANGUAGE plpgsql AS $$
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
$$;

COMMENT ON FUNCTION ledger_check_shares_sum() IS
    'Deferred check: each ledger entry touched by the transaction has shares adding up to its amount.';

CREATE CONSTRAINT TRIGGER ledger_entries_shares_sum_trg
AFTER INSERT OR UPDATE OF amount ON ledger_entries
DEFERRABLE INITIALLY DEFERRED
FOR EACH ROW EXECUTE FUNCTION ledger_check_shares_sum();

CREATE CONSTRAINT TRIGGER ledger_shares_sum_trg
AFTER INSERT OR DELETE OR UPDATE OF amount, entry_id, chat_id ON ledger_shares
DEFERRABLE INITIALLY DEFERRED
FOR EACH ROW EXECUTE FUNCTION ledger_check_shares_sum();

-- Carry each existing total_spend over as an opening entry, paid and owed by
-- the chat's owner, so that total_spend is the ledger's sum from now on and no
-- member's balance changes.  Before the total_spend trigger exists: these
-- entries are already counted.
WITH opening AS (
    INSERT INTO ledger_entries (chat_id, kind, split_kind, payer_id, amount, description, spent_on, created_by)
    SELECT
        gc.chat_id,
        'expense' AS kind,
        'exact' AS split_kind,
        m.user_id AS payer_id,
        gc.total_spend AS amount,
        'Spend recorded before the ledger' AS description,
        (gc.last_activity_at AT TIME ZONE 'UTC')::date AS spent_on,
        m.user_id AS created_by
    FROM group_contexts AS gc
    INNER JOIN chat_members AS m ON gc.chat_id = m.chat_id AND m.role = 'owner'
    WHERE gc.total_spend > 0
    RETURNING chat_id, id, payer_id, amount
)

INSERT INTO ledger_shares (chat_id, entry_id, user_id, amount)
SELECT chat_id, id, payer_id, amount
FROM opening;

CREATE FUNCTION ledger_keep_total_spend() RETURNS trigger
LANGUAGE plpgsql AS $$
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
$$;

COMMENT ON FUNCTION ledger_keep_total_spend() IS
    'Keeps group_contexts.total_spend = sum of the chat''s live expense entries, in the writing statement.';

CREATE TRIGGER ledger_entries_total_spend_trg
AFTER INSERT OR DELETE OR UPDATE OF amount, kind, voided_at ON ledger_entries
FOR EACH ROW EXECUTE FUNCTION ledger_keep_total_spend();

COMMENT ON COLUMN group_contexts.total_spend IS
    'Sum of the chat''s live (not voided) expense ledger entries; kept by ledger_entries_total_spend_trg.';
