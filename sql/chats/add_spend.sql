-- chats/add_spend.sql
-- Adds an amount to a group chat's total spend atomically (the row lock of
-- the UPDATE serialises concurrent adds; none is lost) and moves its last
-- activity; no row for a solo chat or a non-member.  A total past
-- numeric(12,2) is a data error (422).
-- Serves POST /chats/{id}/context/spend. Indexes: group_contexts_pkey, chat_members_pkey.
-- $1 user_id uuid, $2 chat_id uuid, $3 amount numeric (> 0, two decimals)
UPDATE group_contexts AS gc
SET
    total_spend = gc.total_spend + $3::numeric,
    last_activity_at = now()
FROM chat_members AS me
WHERE
    gc.chat_id = $2
    AND me.chat_id = gc.chat_id
    AND me.user_id = $1
RETURNING
    gc.chat_id,
    gc.context_summary,
    gc.total_spend,
    gc.last_activity_at,
    gc.created_at,
    gc.updated_at,
    gc.version;
