-- expenses/insert_expense.sql
-- Records one expense of the caller. Returns the expense.
-- Serves POST /expenses. The category must be the caller's: expenses_category_id_fkey
-- ((category_id, user_id) -> categories) refuses another user's category (422).
-- $1 user_id uuid, $2 category_id uuid, $3 amount numeric, $4 spent_on date,
-- $5 description text|NULL, $6 payment_method text|NULL, $7 tags text[], $8 notes text|NULL,
-- $9 receipt_url text|NULL
INSERT INTO expenses (
    user_id, category_id, amount, spent_on, description, payment_method, tags, notes, receipt_url
)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
RETURNING id, category_id, amount, spent_on, description, payment_method, tags, notes, receipt_url, created_at, updated_at, version;
