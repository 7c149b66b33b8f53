-- 0011_create_chat_members
-- Who may see a chat and what they may do in it.  chat_kind copies the chat's
-- kind through the composite FK so that a solo chat can hold no member but
-- its owner (chat_members_solo_owner_chk); one owner per chat is an exclusion
-- constraint, deferrable so that a hand-over swaps two roles in one UPDATE.
-- depends: 0010_create_chats
SET lock_timeout = '5s';
SET statement_timeout = '60s';

CREATE TABLE chat_members (
    chat_id uuid NOT NULL,
    chat_kind text NOT NULL,
    user_id uuid NOT NULL,
    role text NOT NULL DEFAULT 'member',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT chat_members_pkey PRIMARY KEY (chat_id, user_id),
    CONSTRAINT chat_members_chat_id_fkey FOREIGN KEY (chat_id, chat_kind)
        REFERENCES chats (id, kind) ON DELETE CASCADE,
    CONSTRAINT chat_members_user_id_fkey FOREIGN KEY (user_id)
        REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT chat_members_role_chk CHECK (role IN ('owner', 'admin', 'member')),
    CONSTRAINT chat_members_solo_owner_chk CHECK (chat_kind = 'group' OR role = 'owner'),
    CONSTRAINT chat_members_chat_id_owner_excl EXCLUDE USING btree (chat_id WITH =)
        WHERE (role = 'owner') DEFERRABLE INITIALLY IMMEDIATE
);

-- Serves the user FK (cascade on account deletion) and "the caller's chats" (GET /chats).
-- The chat FK is served by chat_members_pkey, which starts with chat_id.
-- The table is created empty in this migration: nothing to block, no need for CONCURRENTLY.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX chat_members_user_id_idx ON chat_members (user_id, chat_id);

CREATE TRIGGER chat_members_set_updated_at_trg
BEFORE UPDATE ON chat_members
FOR EACH ROW EXECUTE FUNCTION set_updated_at();

COMMENT ON TABLE chat_members IS 'Membership and role of a user in a chat; every chat access joins through it.';
COMMENT ON COLUMN chat_members.chat_kind IS 'The chat''s kind (copied and pinned by the composite FK).';
COMMENT ON COLUMN chat_members.role IS 'owner (exactly one, = chats.owner_id) | admin | member.';
COMMENT ON COLUMN chat_members.created_at IS 'When the user joined the chat.';
