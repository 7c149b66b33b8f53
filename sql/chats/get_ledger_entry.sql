-- chats/get_ledger_entry.sql
-- One ledger entry of a chat the caller belongs to; no row for a non-member
-- or another chat's entry.  Serves GET /chats/{id}/ledger/{entry_id} and the
-- failure path of the void.  Indexes: chat_members_pkey, ledger_entries_pkey.
-- $1 user_id uuid, $2 chat_id uuid, $3 entry_id bigint
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
    AND e.id = $3;
