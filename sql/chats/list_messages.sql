-- chats/list_messages.sql
-- The newest messages of a chat the caller belongs to, before a keyset cursor,
-- newest first (the route reverses a page into chronological order); no rows
-- for a non-member.  Serves GET /chats/{id}/messages.
-- Indexes: chat_members_pkey (membership), messages_chat_id_idx (chat_id, id)
-- scanned backward from the cursor.
-- $1 user_id uuid, $2 chat_id uuid, $3 before_id bigint (NULL = newest page), $4 limit int
SELECT
    msg.id,
    msg.sender_id,
    msg.role,
    msg.content,
    msg.thinking,
    msg.action,
    msg.drawer_data,
    msg.created_at
FROM chat_members AS me
INNER JOIN messages AS msg ON me.chat_id = msg.chat_id
WHERE
    me.chat_id = $2
    AND me.user_id = $1
    AND ($3::bigint IS NULL OR msg.id < $3)
ORDER BY msg.id DESC
LIMIT $4;
