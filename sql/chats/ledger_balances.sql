-- chats/ledger_balances.sql
-- Per person of a chat the caller belongs to: paid (live entries they paid),
-- owed (their shares of live entries) and net = paid - owed.  Everyone who
-- is a member or appears in the ledger: former members keep their balance;
-- the entries of deleted accounts (user NULL) show as one "deleted" row.
-- Ordered by user id, deleted last; no rows for a non-member.
-- Serves GET /chats/{id}/balances. Indexes: chat_members_pkey,
-- ledger_entries_pkey, ledger_shares_chat_id_entry_id_user_id_key, users_pkey.
-- $1 user_id uuid, $2 chat_id uuid
WITH me AS (
    SELECT chat_id
    FROM chat_members
    WHERE
        chat_id = $2
        AND user_id = $1
),

live AS (
    SELECT
        e.id,
        e.payer_id,
        e.amount
    FROM ledger_entries AS e
    INNER JOIN me ON e.chat_id = me.chat_id
    WHERE
        e.chat_id = $2
        AND e.voided_at IS NULL
),

paid AS (
    SELECT
        payer_id AS user_id,
        sum(amount) AS paid
    FROM live
    GROUP BY payer_id
),

owed AS (
    SELECT
        s.user_id,
        sum(s.amount) AS owed
    FROM ledger_shares AS s
    INNER JOIN me ON s.chat_id = me.chat_id
    INNER JOIN live ON s.entry_id = live.id
    WHERE s.chat_id = $2
    GROUP BY s.user_id
),

people AS (
    SELECT m.user_id
    FROM chat_members AS m
    INNER JOIN me ON m.chat_id = me.chat_id
    WHERE m.chat_id = $2
    UNION
    SELECT user_id
    FROM paid
    UNION
    SELECT user_id
    FROM owed
)

SELECT
    p.user_id,
    u.display_name,
    CASE
        WHEN m.user_id IS NOT NULL THEN 'member'
        WHEN u.id IS NOT NULL THEN 'former'
        ELSE 'deleted'
    END AS status,
    coalesce(pd.paid, 0)::numeric(14, 2) AS paid,
    coalesce(ow.owed, 0)::numeric(14, 2) AS owed,
    (coalesce(pd.paid, 0) - coalesce(ow.owed, 0))::numeric(14, 2) AS net
FROM people AS p
LEFT JOIN paid AS pd ON p.user_id IS NOT DISTINCT FROM pd.user_id
LEFT JOIN owed AS ow ON p.user_id IS NOT DISTINCT FROM ow.user_id
LEFT JOIN users AS u ON p.user_id = u.id
LEFT JOIN chat_members AS m ON m.chat_id = $2 AND p.user_id = m.user_id
ORDER BY p.user_id NULLS LAST;
