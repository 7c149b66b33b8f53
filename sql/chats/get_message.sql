-- chats/get_message.sql
-- One message of a chat the caller belongs to (a tombstone too); no row for
-- a non-member or another chat's message.  Serves GET /chats/{id}/messages/{mid}
-- and the failure paths of its PATCH / DELETE.  Indexes: messages_pkey, chat_members_pkey.
-- $1 user_id uuid, $2 chat_id uuid, $3 message_id bigint
SELECT
    m.id,
    m.sender_id,
    m.role,
    m.content,
    m.thinking,
    m.action,
    m.drawer_data,
    m.created_at,
    coalesce(m.updated_at, m.created_at) AS updated_at,
    m.edited_at,
    m.deleted_at IS NOT NULL AS deleted,
    m.version
FROM messages AS m
INNER JOIN chat_members AS me ON m.chat_id = me.chat_id
WHERE
    m.id = $3
    AND m.chat_id = $2
    AND me.user_id = $1;
