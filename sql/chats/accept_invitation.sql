-- chats/accept_invitation.sql
-- Accepts a pending, unexpired invitation to the caller's email, run after
-- chats/lock_invited_chat: marks it accepted and adds the caller to the chat
-- with the invitation's role (already a member: the membership stays as it
-- is).  Only while the inviter is still an owner or admin of the chat.
-- Returns the chat id; no row otherwise (nothing changes).
-- Serves POST /me/invitations/{id}/accept. Indexes: users_pkey,
-- chat_invitations_pkey, chat_members_pkey (inviter; the new row).
-- $1 user_id uuid, $2 chat_id uuid, $3 invitation_id uuid
WITH answered AS (
    UPDATE chat_invitations AS i
    SET
        status = 'accepted',
        answered_at = now()
    FROM users AS me, chat_members AS inviter
    WHERE
        i.chat_id = $2
        AND i.id = $3
        AND me.id = $1
        AND i.email = me.email
        AND i.status = 'pending'
        AND i.expires_at > now()
        AND inviter.chat_id = i.chat_id
        AND inviter.user_id = i.invited_by
        AND inviter.role IN ('owner', 'admin')
    RETURNING i.chat_id, i.chat_kind, i.role
),

added AS (
    INSERT INTO chat_members (chat_id, chat_kind, user_id, role)
    SELECT
        a.chat_id,
        a.chat_kind,
        $1 AS user_id,
        a.role
    FROM answered AS a
    ON CONFLICT (chat_id, user_id) DO NOTHING
    RETURNING chat_id
)

SELECT a.chat_id
FROM answered AS a;
