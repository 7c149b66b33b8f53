-- 0010_create_chats
-- Chats of the chat-assistant and todo-chatbot apps: a Phase III
-- "conversation" is a solo chat.  Access goes through chat_members; owner_id
-- is the member holding the owner role (kept in step by the statements that
-- create chats and hand ownership over), and deleting the owner's account
-- deletes the chat.  UNIQUE (id, kind) lets child tables pin the chat's kind
-- with a composite FK (group contexts only for group chats, solo chats only
-- with their owner as member).
-- depends: 0004_create_audit_log
SET lock_timeout = '5s';
SET statement_timeout = '60s';

CREATE TABLE chats (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    kind text NOT NULL,
    owner_id uuid NOT NULL,
    title text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT chats_pkey PRIMARY KEY (id),
    CONSTRAINT chats_id_kind_key UNIQUE (id, kind),
    CONSTRAINT chats_owner_id_fkey FOREIGN KEY (owner_id)
        REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT chats_kind_chk CHECK (kind IN ('solo', 'group')),
    CONSTRAINT chats_title_chk CHECK (char_length(title) BETWEEN 1 AND 200 AND btrim(title) <> '')
);

-- Serves the FK (cascade when the owner's account is deleted).
-- The table is created empty in this migration: nothing to block, no need for CONCURRENTLY.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX chats_owner_id_idx ON chats (owner_id);

CREATE TRIGGER chats_set_updated_at_trg
BEFORE UPDATE ON chats
FOR EACH ROW EXECUTE FUNCTION set_updated_at();

COMMENT ON TABLE chats IS 'Solo and group chats (a Phase III conversation is a solo chat).';
COMMENT ON COLUMN chats.kind IS 'solo (the owner and the assistant) | group (several members); never changes.';
COMMENT ON COLUMN chats.owner_id IS 'The member with role owner; deleting this account deletes the chat.';
COMMENT ON COLUMN chats.title IS 'NULL until set, or generated from the first user message (60 characters).';
COMMENT ON COLUMN chats.updated_at IS 'Last activity: moves with every new message (and title change).';
