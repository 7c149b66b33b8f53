-- 0013_create_group_contexts
-- The shared context of a group chat (summary, split-bill spend, last
-- activity), one row per chat.  kind is fixed to 'group' and the composite
-- FK on (chat_id, kind) makes a context for a solo chat impossible.
-- depends: 0012_create_messages
SET lock_timeout = '5s';
SET statement_timeout = '60s';

CREATE TABLE group_contexts (
    chat_id uuid NOT NULL,
    kind text NOT NULL DEFAULT 'group',
    context_summary text,
    total_spend numeric(12, 2) NOT NULL DEFAULT 0,
    last_activity_at timestamptz NOT NULL DEFAULT now(),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT group_contexts_pkey PRIMARY KEY (chat_id),
    -- Served by group_contexts_pkey, which starts with chat_id.
    CONSTRAINT group_contexts_chat_id_fkey FOREIGN KEY (chat_id, kind)
        REFERENCES chats (id, kind) ON DELETE CASCADE,
    CONSTRAINT group_contexts_kind_chk CHECK (kind = 'group'),
    CONSTRAINT group_contexts_context_summary_chk CHECK (char_length(context_summary) <= 4000),
    CONSTRAINT group_contexts_total_spend_chk CHECK (total_spend >= 0)
);

CREATE TRIGGER group_contexts_set_updated_at_trg
BEFORE UPDATE ON group_contexts
FOR EACH ROW EXECUTE FUNCTION set_updated_at();

COMMENT ON TABLE group_contexts IS 'Shared context of a group chat: summary, total spend, last activity.';
COMMENT ON COLUMN group_contexts.kind IS 'Always ''group'': pins the chat''s kind through the composite FK.';
COMMENT ON COLUMN group_contexts.context_summary IS 'Free-text summary the assistant keeps for the group.';
COMMENT ON COLUMN group_contexts.total_spend IS 'Sum of the group''s recorded spend; only grows by atomic adds.';
COMMENT ON COLUMN group_contexts.last_activity_at IS 'Time of the newest message or spend in the chat.';
