-- chats/list_ledger_shares.sql
-- The shares of the given entries of a chat the caller belongs to, by entry
-- then user id (deleted accounts, NULL, last); no rows for a non-member.
-- Serves GET /chats/{id}/ledger (one page's shares in one round trip).
-- Indexes: chat_members_pkey, ledger_shares_chat_id_entry_id_user_id_key.
-- $1 user_id uuid, $2 chat_id uuid, $3 entry_ids bigint[]
SELECT
    s.entry_id,
    s.user_id,
    s.weight,
    s.amount
FROM chat_members AS me
CROSS JOIN unnest($3::bigint[]) AS wanted (entry_id)
INNER JOIN ledger_shares AS s ON me.chat_id = s.chat_id AND wanted.entry_id = s.entry_id
WHERE
    me.chat_id = $2
    AND me.user_id = $1
ORDER BY s.entry_id, s.user_id NULLS LAST, s.id;
