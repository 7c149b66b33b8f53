-- chats/get_context.sql
-- The context of a group chat the caller belongs to; no row for a solo chat
-- or a non-member.  Serves GET /chats/{id}/context.
-- Indexes: group_contexts_pkey, chat_members_pkey.
-- $1 user_id uuid, $2 chat_id uuid
SELECT
    gc.chat_id,
    gc.context_summary,
    gc.total_spend,
    gc.last_activity_at,
    gc.created_at,
    gc.updated_at,
    gc.version
FROM group_contexts AS gc
INNER JOIN chat_members AS me ON gc.chat_id = me.chat_id
WHERE
    gc.chat_id = $2
    AND me.user_id = $1;
