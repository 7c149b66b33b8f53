-- chats/decline_invitation.sql
-- Declines a pending invitation to the caller's email (expired or not).
-- Returns its id; no row when there is no such pending invitation.
-- Serves POST /me/invitations/{id}/decline. Indexes: users_pkey,
-- chat_invitations_email_idx.
-- $1 user_id uuid, $2 invitation_id uuid
UPDATE chat_invitations AS i
SET
    status = 'declined',
    answered_at = now()
FROM users AS me
WHERE
    me.id = $1
    AND i.email = me.email
    AND i.id = $2
    AND i.status = 'pending'
RETURNING i.id;
