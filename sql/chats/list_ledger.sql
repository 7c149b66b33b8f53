-- chats/list_ledger.sql
-- The ledger entries of a chat the caller belongs to, voided ones included,
-- newest first, before a keyset cursor; no rows for a non-member.
-- Serves GET /chats/{id}/ledger. Indexes: chat_members_pkey, then
-- ledger_entries_pkey (chat_id, id) scanned backward from the cursor.
-- $1 user_id uuid, $2 chat_id uuid, $3 before_id bigint (NULL = newest page), $4 limit int
SELECT
    e.id,
    e.chat_id,
    e.kind,
    e.split_kind,
    e.payer_id,
    e.amount,
    e.description,
    e.spent_on,
    e.message_id,
    e.created_by,
    e.voided_at,
    e.voided_by,
    e.created_at,
    e.updated_at,
    e.version
FROM chat_members AS me
INNER JOIN ledger_entries AS e ON me.chat_id = e.chat_id
WHERE
    me.chat_id = $2
    AND me.user_id = $1
    AND e.id < coalesce($3::bigint, 9223372036854775807)
ORDER BY e.id DESC
LIMIT $4;
