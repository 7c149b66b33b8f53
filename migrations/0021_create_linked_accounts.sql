-- 0021_create_linked_accounts
-- Lattice's financial accounts a user linked through Knot (Amazon, DoorDash,
-- ...).  knot_item_id is Knot's id of the link, unique across the service
-- (one link belongs to one user).  Deleted with the account.
-- depends: 0020_create_tasks
SET lock_timeout = '5s';
SET statement_timeout = '60s';

CREATE TABLE linked_accounts (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL,
    institution text NOT NULL,
    account_name text NOT NULL,
    permissions jsonb NOT NULL DEFAULT '[]'::jsonb,
    knot_item_id text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT linked_accounts_pkey PRIMARY KEY (id),
    CONSTRAINT linked_accounts_user_id_fkey FOREIGN KEY (user_id)
        REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT linked_accounts_knot_item_id_key UNIQUE (knot_item_id),
    CONSTRAINT linked_accounts_institution_chk CHECK (
        char_length(institution) BETWEEN 1 AND 100
    ),
    CONSTRAINT linked_accounts_account_name_chk CHECK (
        char_length(account_name) BETWEEN 1 AND 200
    ),
    CONSTRAINT linked_accounts_knot_item_id_chk CHECK (
        char_length(knot_item_id) BETWEEN 1 AND 255
    ),
    CONSTRAINT linked_accounts_permissions_chk CHECK (
        jsonb_typeof(permissions) = 'array'
        AND NOT jsonb_path_exists(permissions, 'strict $[*] ? (@.type() != "string")')
    )
);

-- Serves the FK (user deletion) and GET /linked-accounts, newest first
-- (linked_accounts/list_linked_accounts.sql).
-- The table is created empty in this migration: nothing to block, no need for CONCURRENTLY.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX linked_accounts_user_id_created_at_id_idx
ON linked_accounts (user_id, created_at DESC, id DESC);

CREATE TRIGGER linked_accounts_set_updated_at_trg
BEFORE UPDATE ON linked_accounts
FOR EACH ROW EXECUTE FUNCTION set_updated_at();

COMMENT ON TABLE linked_accounts IS 'Accounts at other institutions a user linked through Knot (Lattice).';
COMMENT ON COLUMN linked_accounts.institution IS 'Display name of the institution, e.g. Amazon, DoorDash.';
COMMENT ON COLUMN linked_accounts.permissions IS 'What the link may read or do: a JSON array of strings.';
COMMENT ON COLUMN linked_accounts.knot_item_id IS 'Knot''s id of this link; unique across all users.';
