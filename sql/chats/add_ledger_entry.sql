-- chats/add_ledger_entry.sql
-- Records a ledger entry of a group chat the caller belongs to, with its
-- shares, in one statement; returns the entry, no row for a non-member or a
-- solo chat.  The shares must add up to the amount: the deferred
-- ledger_shares_sum trigger checks it at COMMIT.  The caller (service/chats/
-- logic.py) has locked the chat row and checked that the payer and every
-- share holder are members.  ledger_entries_total_spend_trg moves the
-- group's total_spend in this statement.
-- Serves POST /chats/{id}/ledger, POST /chats/{id}/settlements and POST /chats/{id}/context/spend.
-- Indexes: chat_members_pkey.
-- $1 user_id uuid, $2 chat_id uuid, $3 kind text, $4 split_kind text, $5 payer_id uuid,
-- $6 amount numeric, $7 description text, $8 spent_on date (NULL = today, UTC),
-- $9 message_id bigint (or NULL), $10 share user ids uuid[], $11 weights int[] (NULLs for exact),
-- $12 share amounts numeric[]
WITH entry AS (
    INSERT INTO ledger_entries (
        chat_id, kind, split_kind, payer_id, amount, description, spent_on, message_id, created_by
    )
    SELECT
        me.chat_id,
        $3::text,
        $4::text,
        $5::uuid,
        $6::numeric,
        $7::text,
        coalesce($8::date, (now() AT TIME ZONE 'UTC')::date) AS spent_on,
        $9::bigint,
        me.user_id
    FROM chat_members AS me
    WHERE
        me.chat_id = $2
        AND me.user_id = $1
        AND me.chat_kind = 'group'
    RETURNING
        id, chat_id, kind, split_kind, payer_id, amount, description, spent_on, message_id,
        created_by, voided_at, voided_by, created_at, updated_at, version
),

shares AS (
    INSERT INTO ledger_shares (chat_id, entry_id, user_id, weight, amount)
    SELECT
        entry.chat_id,
        entry.id,
        s.user_id,
        s.weight,
        s.amount
    FROM entry
    CROSS JOIN unnest($10::uuid[], $11::bigint[], $12::numeric[]) AS s (user_id, weight, amount)
    RETURNING entry_id
)

SELECT
    id,
    chat_id,
    kind,
    split_kind,
    payer_id,
    amount,
    description,
    spent_on,
    message_id,
    created_by,
    voided_at,
    voided_by,
    created_at,
    updated_at,
    version
FROM entry;
