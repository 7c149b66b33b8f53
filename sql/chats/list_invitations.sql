-- chats/list_invitations.sql
-- The caller's pending, unexpired invitations (to the caller's email), newest
-- first, before the keyset cursor, with the chat's title and the inviter's name.
-- Serves GET /me/invitations. Indexes: users_pkey, chat_invitations_email_idx,
-- chats_pkey, users_pkey (inviter).
-- $1 user_id uuid, $2 before_created_at timestamptz (or NULL), $3 before_id uuid (or NULL), $4 limit int
SELECT
    i.id,
    i.chat_id,
    c.title AS chat_title,
    i.role,
    i.invited_by,
    inviter.display_name AS inviter_name,
    i.created_at,
    i.expires_at
FROM users AS me
INNER JOIN chat_invitations AS i ON me.email = i.email
INNER JOIN chats AS c ON i.chat_id = c.id
LEFT JOIN users AS inviter ON i.invited_by = inviter.id
WHERE
    me.id = $1
    AND i.status = 'pending'
    AND i.expires_at > now()
    AND ($2::timestamptz IS NULL OR (i.created_at, i.id) < ($2::timestamptz, $3::uuid))
ORDER BY i.created_at DESC, i.id DESC
LIMIT $4;
