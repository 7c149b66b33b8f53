-- 0020_create_tasks
-- The Phase III todo list: one row per task, owned by one user and deleted
-- with the account.  Integer ids as in the seed (bigint identity), which are
-- also the keyset of GET /tasks (newest first = highest id first).
-- depends: 0004_create_audit_log
SET lock_timeout = '5s';
SET statement_timeout = '60s';

CREATE TABLE tasks (
    id bigint GENERATED ALWAYS AS IDENTITY,
    user_id uuid NOT NULL,
    title text NOT NULL,
    description text,
    completed boolean NOT NULL DEFAULT FALSE,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT tasks_pkey PRIMARY KEY (id),
    CONSTRAINT tasks_user_id_fkey FOREIGN KEY (user_id)
        REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT tasks_title_chk CHECK (
        char_length(title) BETWEEN 1 AND 200 AND btrim(title) <> ''
    ),
    CONSTRAINT tasks_description_chk CHECK (char_length(description) <= 2000)
);

-- Serves the FK (user deletion) and GET /tasks without a filter (tasks/list_tasks.sql).
-- The table is created empty in this migration: nothing to block, no need for CONCURRENTLY.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX tasks_user_id_id_idx ON tasks (user_id, id DESC);

-- Serves GET /tasks?completed=true|false (tasks/list_tasks_by_completed.sql).
-- The table is created empty in this migration: nothing to block, no need for CONCURRENTLY.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX tasks_user_id_completed_id_idx ON tasks (user_id, completed, id DESC);

CREATE TRIGGER tasks_set_updated_at_trg
BEFORE UPDATE ON tasks
FOR EACH ROW EXECUTE FUNCTION set_updated_at();

COMMENT ON TABLE tasks IS 'Todo items of the Phase III app; each belongs to one user.';
COMMENT ON COLUMN tasks.title IS '1..200 characters, not only whitespace.';
COMMENT ON COLUMN tasks.description IS 'Optional details, up to 2000 characters.';
