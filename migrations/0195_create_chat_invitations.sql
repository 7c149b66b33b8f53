-- 0195_create_chat_invitations
-- Invitations to a group chat by email (issue #18, no email enumeration):
-- adding a member by email no longer looks the address up; it records a
-- pending invitation for the address (lower-cased, as users.email is stored)
-- whether or not an account holds it.  The invitee sees it in
-- GET /me/invitations and accepts (becomes a member) or declines.  A pending
-- invitation expires at expires_at (INVITATION_TTL after it was sent); at most
-- one pending invitation per (chat, email): sending again refreshes it.
-- The chat leads the key (the Citus tenant column, docs/scale-out.md); the
-- invitee's list is read by email (chat_invitations_email_idx).
-- Retention: the chat_invitations job deletes an invitation
-- INVITATION_RETENTION_DAYS after it was answered or expired; deleting the
-- chat deletes its invitations; the inviter's account deletion sets
-- invited_by NULL (such an invitation can no longer be accepted).
-- depends: 0191_create_users_deleted_at_idx
SET lock_timeout = '5s';
SET statement_timeout = '60s';
SET search_path = public, pg_catalog;

CREATE TABLE chat_invitations (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    chat_id uuid NOT NULL,
    chat_kind text NOT NULL DEFAULT 'group',
    email text NOT NULL,
    role text NOT NULL DEFAULT 'member',
    invited_by uuid,
    status text NOT NULL DEFAULT 'pending',
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    answered_at timestamptz,
    CONSTRAINT chat_invitations_pkey PRIMARY KEY (chat_id, id),
    -- Served by chat_invitations_pkey, which starts with chat_id.
    CONSTRAINT chat_invitations_chat_id_fkey FOREIGN KEY (chat_id, chat_kind)
        REFERENCES chats (id, kind) ON DELETE CASCADE,
    CONSTRAINT chat_invitations_invited_by_fkey FOREIGN KEY (invited_by)
        REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT chat_invitations_chat_kind_chk CHECK (chat_kind = 'group'),
    CONSTRAINT chat_invitations_role_chk CHECK (role IN ('admin', 'member')),
    CONSTRAINT chat_invitations_status_chk CHECK (status IN ('pending', 'accepted', 'declined')),
    CONSTRAINT chat_invitations_email_chk CHECK (char_length(email) BETWEEN 3 AND 254 AND email = lower(email)),
    CONSTRAINT chat_invitations_answered_chk CHECK ((status = 'pending') = (answered_at IS NULL)),
    CONSTRAINT chat_invitations_expires_chk CHECK (expires_at > created_at)
);

-- One pending invitation per chat and address (a second send refreshes it).
-- The table is created empty in this migration: nothing to block, no need for CONCURRENTLY.
-- squawk-ignore require-concurrent-index-creation
CREATE UNIQUE INDEX chat_invitations_pending_key ON chat_invitations (chat_id, email) WHERE status = 'pending';
-- GET /me/invitations and accept/decline: the caller's pending invitations, by email; created empty, as above.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX chat_invitations_email_idx ON chat_invitations (email, created_at) WHERE status = 'pending';
-- Serves the inviter FK (SET NULL on account deletion); created empty, as above.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX chat_invitations_invited_by_idx ON chat_invitations (invited_by) WHERE invited_by IS NOT NULL;
-- The retention job: answered or expired, oldest first; created empty, as above.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX chat_invitations_done_at_idx ON chat_invitations ((coalesce(answered_at, expires_at)));

COMMENT ON TABLE chat_invitations IS
    'Invitations to a group chat by email: pending until accepted, declined or expired; purged after retention.';
COMMENT ON COLUMN chat_invitations.email IS 'The invited address, lower-cased like users.email; never checked against accounts when sent.';
COMMENT ON COLUMN chat_invitations.chat_kind IS 'Always ''group'': pins the chat''s kind through the composite FK.';
COMMENT ON COLUMN chat_invitations.role IS 'The role the invitee gets on accepting: admin | member.';
COMMENT ON COLUMN chat_invitations.invited_by IS 'The owner or admin who sent it; accepting needs them still owner or admin.';
COMMENT ON COLUMN chat_invitations.status IS 'pending | accepted | declined (answered_at set when answered).';
COMMENT ON COLUMN chat_invitations.expires_at IS 'A pending invitation cannot be accepted after this (INVITATION_TTL).';
