-- expenses/update_expense.sql
-- PATCH /expenses/{id}: each field changes only when its flag is true.
-- Returns the expense; no row for a missing or another user's id. Index: expenses_pkey.
-- A new category must be the caller's (expenses_category_id_fkey: 422).
-- $1 user_id uuid, $2 expense_id uuid,
-- $3 set_category bool, $4 category_id uuid, $5 set_amount bool, $6 amount numeric,
-- $7 set_spent_on bool, $8 spent_on date, $9 set_description bool, $10 description text,
-- $11 set_payment_method bool, $12 payment_method text, $13 set_tags bool, $14 tags text[],
-- $15 set_notes bool, $16 notes text, $17 set_receipt_url bool, $18 receipt_url text,
-- $19 if_match bigint[] (NULL = unconditional; else the row's version must be one of them)
UPDATE expenses
SET
    category_id = CASE WHEN $3 THEN $4 ELSE category_id END,
    amount = CASE WHEN $5 THEN $6 ELSE amount END,
    spent_on = CASE WHEN $7 THEN $8 ELSE spent_on END,
    description = CASE WHEN $9 THEN $10 ELSE description END,
    payment_method = CASE WHEN $11 THEN $12 ELSE payment_method END,
    tags = CASE WHEN $13 THEN $14 ELSE tags END,
    notes = CASE WHEN $15 THEN $16 ELSE notes END,
    receipt_url = CASE WHEN $17 THEN $18 ELSE receipt_url END
WHERE id = $2 AND user_id = $1
    AND ($19::bigint[] IS NULL OR $19::bigint[] @> ARRAY[version])
RETURNING id, category_id, amount, spent_on, description, payment_method, tags, notes, receipt_url, created_at, updated_at, version;
