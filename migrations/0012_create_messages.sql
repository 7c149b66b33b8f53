-- 0012_create_messages
-- Messages of every chat (Lattice's AI messages and Phase III's history).
-- Append-only, so no updated_at.  A user message is sent by a user; an
-- assistant message has none.  A deleted account's messages stay in the
-- chats of others with sender_id NULL.
-- depends: 0011_create_chat_members
SET lock_timeout = '5s';
SET statement_timeout = '60s';

CREATE TABLE messages (
    id bigint GENERATED ALWAYS AS IDENTITY,
    chat_id uuid NOT NULL,
    sender_id uuid,
    role text NOT NULL,
    content text NOT NULL,
    thinking jsonb NOT NULL DEFAULT '[]'::jsonb,
    action text NOT NULL DEFAULT 'none',
    drawer_data jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT messages_pkey PRIMARY KEY (id),
    CONSTRAINT messages_chat_id_fkey FOREIGN KEY (chat_id)
        REFERENCES chats (id) ON DELETE CASCADE,
    CONSTRAINT messages_sender_id_fkey FOREIGN KEY (sender_id)
        REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT messages_role_chk CHECK (role IN ('user', 'assistant')),
    CONSTRAINT messages_sender_chk CHECK (role = 'user' OR sender_id IS NULL),
    CONSTRAINT messages_content_chk CHECK (char_length(content) BETWEEN 1 AND 32000),
    CONSTRAINT messages_thinking_chk CHECK (jsonb_typeof(thinking) = 'array'),
    CONSTRAINT messages_action_chk CHECK (action IN ('card', 'split', 'tracker', 'none')),
    CONSTRAINT messages_drawer_data_chk CHECK (jsonb_typeof(drawer_data) = 'object')
);

-- Serves the chat FK (cascade) and every read of a chat's messages: a page
-- of the newest messages before a cursor, and a chat's last message.
-- The table is created empty in this migration: nothing to block, no need for CONCURRENTLY.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX messages_chat_id_idx ON messages (chat_id, id);

-- Serves the sender FK (SET NULL on account deletion); assistant messages have no sender.
-- The table is created empty in this migration: nothing to block, no need for CONCURRENTLY.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX messages_sender_id_idx ON messages (sender_id) WHERE sender_id IS NOT NULL;

COMMENT ON TABLE messages IS 'Chat messages, append-only; ids give the chronological order.';
COMMENT ON COLUMN messages.sender_id IS 'The author of a user message; NULL for assistant messages and deleted accounts.';
COMMENT ON COLUMN messages.role IS 'user | assistant (Lattice''s sender_type ai).';
COMMENT ON COLUMN messages.thinking IS 'The assistant''s reasoning steps: a JSON array, empty when none.';
COMMENT ON COLUMN messages.action IS 'What the app shows with the message: card | split | tracker | none.';
COMMENT ON COLUMN messages.drawer_data IS 'Payload of the app''s context drawer: a JSON object, or NULL.';
