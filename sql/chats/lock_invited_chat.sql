-- chats/lock_invited_chat.sql
-- Locks the chat of a pending, unexpired invitation to the caller's email
-- (FOR NO KEY UPDATE of its chats row, like chats/lock_chat) before the
-- invitation is accepted, so that accepting runs after, or before, any other
-- change of membership of that chat and the chat's deletion.  Returns the
-- chat id; no row when there is no such invitation (or the chat is gone).
-- Serves POST /me/invitations/{id}/accept. Indexes: users_pkey,
-- chat_invitations_email_idx, chats_pkey.
-- $1 user_id uuid, $2 invitation_id uuid
SELECT c.id
FROM users AS me
INNER JOIN chat_invitations AS i ON me.email = i.email
INNER JOIN chats AS c ON i.chat_id = c.id
WHERE
    me.id = $1
    AND i.id = $2
    AND i.status = 'pending'
    AND i.expires_at > now()
FOR NO KEY UPDATE OF c;
