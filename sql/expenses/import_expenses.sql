-- expenses/import_expenses.sql
-- Inserts many expenses of the caller in one statement (all or nothing), from a
-- JSON array of objects that the route validated row by row.  Rows whose category
-- is not the caller's are found first: then nothing is inserted and the first such
-- row's index comes back, so the API can name it (expenses_category_id_fkey would
-- refuse them anyway, without a row number).
-- Returns inserted (row count) and bad_row (NULL when every category is the caller's).
-- Serves POST /expenses/import. Index: categories_pkey for the ownership check.
-- $1 user_id uuid, $2 rows jsonb: [{row_index, category_id, amount, spent_on, description,
-- payment_method, tags, notes, receipt_url}, ...]
WITH incoming AS (
    SELECT
        r.row_index,
        r.category_id,
        r.amount,
        r.spent_on,
        r.description,
        r.payment_method,
        coalesce(r.tags, '{}') AS tags,
        r.notes,
        r.receipt_url
    FROM jsonb_to_recordset($2::jsonb) AS r (
            row_index integer,
            category_id uuid,
            amount numeric(12, 2),
            spent_on date,
            description text,
            payment_method text,
            tags text[],
            notes text,
            receipt_url text
        )
),

foreign_rows AS (
    SELECT min(i.row_index) AS first_row
    FROM incoming AS i
    WHERE NOT EXISTS (
            SELECT 1
            FROM categories AS c
            WHERE c.id = i.category_id AND c.user_id = $1
        )
),

inserted AS (
    INSERT INTO expenses (
        user_id, category_id, amount, spent_on, description, payment_method, tags, notes, receipt_url
    )
    SELECT
        $1::uuid AS user_id,
        i.category_id,
        i.amount,
        i.spent_on,
        i.description,
        i.payment_method,
        i.tags,
        i.notes,
        i.receipt_url
    FROM incoming AS i
    WHERE (SELECT f.first_row FROM foreign_rows AS f) IS NULL
    ORDER BY i.row_index
    RETURNING 1 AS one
)

SELECT
    (SELECT count(*) FROM inserted)::integer AS inserted,
    (SELECT f.first_row FROM foreign_rows AS f) AS bad_row;
