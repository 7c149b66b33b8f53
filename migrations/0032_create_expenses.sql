-- 0032_create_expenses
-- One row per expense.  The category is referenced together with the owner
-- ((category_id, user_id) -> categories (id, user_id)), so an expense can
-- only use its own user's categories; RESTRICT refuses to delete a category
-- that still has expenses (the API answers 409 with the count).
-- depends: 0031_create_expense_tags_valid
SET lock_timeout = '5s';
SET statement_timeout = '60s';

CREATE TABLE expenses (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL,
    category_id uuid NOT NULL,
    amount numeric(12, 2) NOT NULL,
    spent_on date NOT NULL,
    description text,
    payment_method text,
    tags text[] NOT NULL DEFAULT '{}',
    notes text,
    receipt_url text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT expenses_pkey PRIMARY KEY (id),
    CONSTRAINT expenses_user_id_fkey FOREIGN KEY (user_id)
        REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT expenses_category_id_fkey FOREIGN KEY (category_id, user_id)
        REFERENCES categories (id, user_id) ON DELETE RESTRICT,
    CONSTRAINT expenses_amount_chk CHECK (amount > 0),
    CONSTRAINT expenses_spent_on_chk CHECK (isfinite(spent_on)),
    CONSTRAINT expenses_description_chk CHECK (char_length(description) <= 255),
    CONSTRAINT expenses_payment_method_chk CHECK (char_length(payment_method) BETWEEN 1 AND 50),
    CONSTRAINT expenses_tags_chk CHECK (expense_tags_valid(tags)),
    CONSTRAINT expenses_notes_chk CHECK (char_length(notes) <= 5000),
    CONSTRAINT expenses_receipt_url_chk CHECK (
        char_length(receipt_url) <= 500 AND receipt_url ~* '^https?://[^[:space:]]+$'
    )
);

-- Serves the user_id FK, date-range filters, GET /expenses (newest first,
-- keyset on (spent_on, id)) and both reports.
-- The table is created empty in this migration: nothing to block, no need for CONCURRENTLY.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX expenses_user_id_spent_on_idx ON expenses (user_id, spent_on DESC, id DESC);

-- Serves amount-range filters (GET /expenses?min_amount=&max_amount=).
-- The table is created empty in this migration: nothing to block, no need for CONCURRENTLY.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX expenses_user_id_amount_idx ON expenses (user_id, amount);

-- Serves the category FK (the RESTRICT check and the in-use count on delete)
-- and GET /expenses?category_id=.
-- The table is created empty in this migration: nothing to block, no need for CONCURRENTLY.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX expenses_category_id_user_id_idx ON expenses (category_id, user_id, spent_on DESC);

CREATE TRIGGER expenses_set_updated_at_trg
BEFORE UPDATE ON expenses
FOR EACH ROW EXECUTE FUNCTION set_updated_at();

COMMENT ON TABLE expenses IS 'A user''s expenses; each in one of the same user''s categories.';
COMMENT ON COLUMN expenses.amount IS 'Money spent, > 0, two decimals.';
COMMENT ON COLUMN expenses.spent_on IS 'The day the money was spent (the seed''s "date").';
COMMENT ON COLUMN expenses.tags IS 'Free labels: at most 20, each 1..100 characters (expense_tags_valid).';
COMMENT ON COLUMN expenses.receipt_url IS 'Link to a receipt image; http(s) only, at most 500 characters.';
