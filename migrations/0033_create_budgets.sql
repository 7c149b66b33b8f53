-- 0033_create_budgets
-- Spending limits per period.  category_id NULL is a budget for all
-- spending; otherwise it is one of the same user's categories (composite
-- FK), and deleting that category deletes its budgets (CASCADE).
-- depends: 0032_create_expenses
SET lock_timeout = '5s';
SET statement_timeout = '60s';

CREATE TABLE budgets (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL,
    category_id uuid,
    amount numeric(12, 2) NOT NULL,
    period text NOT NULL DEFAULT 'monthly',
    start_date date NOT NULL,
    end_date date,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT budgets_pkey PRIMARY KEY (id),
    CONSTRAINT budgets_user_id_fkey FOREIGN KEY (user_id)
        REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT budgets_category_id_fkey FOREIGN KEY (category_id, user_id)
        REFERENCES categories (id, user_id) ON DELETE CASCADE,
    CONSTRAINT budgets_amount_chk CHECK (amount > 0),
    CONSTRAINT budgets_period_chk CHECK (period IN ('weekly', 'monthly', 'yearly')),
    CONSTRAINT budgets_start_date_chk CHECK (isfinite(start_date)),
    CONSTRAINT budgets_end_date_chk CHECK (isfinite(end_date) AND end_date >= start_date)
);

-- Serves the user_id FK, GET /budgets (keyset on (start_date, id)) and the spending report.
-- The table is created empty in this migration: nothing to block, no need for CONCURRENTLY.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX budgets_user_id_start_date_idx ON budgets (user_id, start_date DESC, id DESC);

-- Serves the category FK (cascade when a category is deleted).
-- The table is created empty in this migration: nothing to block, no need for CONCURRENTLY.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX budgets_category_id_user_id_idx ON budgets (category_id, user_id);

CREATE TRIGGER budgets_set_updated_at_trg
BEFORE UPDATE ON budgets
FOR EACH ROW EXECUTE FUNCTION set_updated_at();

COMMENT ON TABLE budgets IS 'Spending limits per week, month or year, for one category or (NULL) all spending.';
COMMENT ON COLUMN budgets.category_id IS 'NULL: the budget covers all of the user''s spending.';
COMMENT ON COLUMN budgets.period IS 'weekly | monthly | yearly: how often the amount is available.';
COMMENT ON COLUMN budgets.end_date IS 'Last day the budget applies (inclusive); NULL: open-ended.';
