-- chats/void_ledger_entry.sql
-- Voids a live ledger entry of a chat the caller belongs to, when the caller
-- recorded it or is the chat's owner or an admin; the entry stays (voided_at,
-- voided_by) and stops counting; ledger_entries_total_spend_trg takes an
-- expense out of total_spend in this statement.  No row otherwise (the route
-- tells 404 / 409 / 403 apart).  Runs after chats/lock_chat.
-- Serves POST /chats/{id}/ledger/{entry_id}/void.
-- Indexes: chat_members_pkey, ledger_entries_pkey.
-- $1 user_id uuid, $2 chat_id uuid, $3 entry_id bigint
UPDATE ledger_entries AS e
SET
    voided_at = now(),
    voided_by = me.user_id
FROM chat_members AS me
WHERE
    e.chat_id = $2
    AND e.id = $3
    AND e.voided_at IS NULL
    AND me.chat_id = e.chat_id
    AND me.user_id = $1
    AND (e.created_by = me.user_id OR me.role IN ('owner', 'admin'))
RETURNING
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
    e.version;
