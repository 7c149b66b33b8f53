-- chats/set_context_summary.sql
-- Replaces the summary of a group chat the caller belongs to; no row for a
-- solo chat, a non-member, or a context at another version than If-Match names.  Serves PUT /chats/{id}/context.
-- Indexes: group_contexts_pkey, chat_members_pkey.
-- $1 user_id uuid, $2 chat_id uuid, $3 context_summary text (or NULL),
-- $4 if_match bigint[] (NULL = unconditional; else the context's version must be one of them)
UPDATE group_contexts AS gc
SET context_summary = $3
FROM chat_members AS me
WHERE
    gc.chat_id = $2
    AND me.chat_id = gc.chat_id
    AND me.user_id = $1
    AND ($4::bigint[] IS NULL OR $4::bigint[] @> ARRAY[gc.version])
RETURNING
    gc.chat_id,
    gc.context_summary,
    gc.total_spend,
    gc.last_activity_at,
    gc.created_at,
    gc.updated_at,
    gc.version;
