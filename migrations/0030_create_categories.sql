-- 0030_create_categories
-- Expense categories, owned by one user each.  Names are unique per user
-- regardless of case; UNIQUE (id, user_id) lets expenses and budgets
-- reference a category together with its owner (composite FKs), so a row
-- can never point at another user's category.
-- depends: 0004_create_audit_log
SET lock_timeout = '5s';
SET statement_timeout = '60s';

CREATE TABLE categories (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL,
    name text NOT NULL,
    description text,
    color text NOT NULL DEFAULT '#3182ce',
    icon text,
    is_default boolean NOT NULL DEFAULT FALSE,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT categories_pkey PRIMARY KEY (id),
    CONSTRAINT categories_id_user_id_key UNIQUE (id, user_id),
    CONSTRAINT categories_user_id_fkey FOREIGN KEY (user_id)
        REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT categories_name_chk CHECK (char_length(name) BETWEEN 1 AND 100 AND name = btrim(name)),
    CONSTRAINT categories_description_chk CHECK (char_length(description) <= 1000),
    CONSTRAINT categories_color_chk CHECK (color ~ '^#[0-9a-f]{6}$'),
    CONSTRAINT categories_icon_chk CHECK (char_length(icon) BETWEEN 1 AND 50)
);

-- One name per user regardless of case; also serves the user_id FK and the
-- name-ordered listing (GET /categories).
-- The table is created empty in this migration: nothing to block, no need for CONCURRENTLY.
-- squawk-ignore require-concurrent-index-creation
CREATE UNIQUE INDEX categories_user_id_name_lower_key ON categories (user_id, lower(name));

CREATE TRIGGER categories_set_updated_at_trg
BEFORE UPDATE ON categories
FOR EACH ROW EXECUTE FUNCTION set_updated_at();

COMMENT ON TABLE categories IS 'A user''s expense categories; six defaults are created with every account.';
COMMENT ON COLUMN categories.color IS 'Lower-case #rrggbb.';
COMMENT ON COLUMN categories.icon IS 'Free text, usually one emoji.';
COMMENT ON COLUMN categories.is_default IS 'Created with the account (Food, Transport, ...), not by the user.';
