-- expenses/list_expenses.sql
-- The caller's expenses, newest first (spent_on DESC, id DESC), after a keyset
-- cursor, with optional filters. Serves GET /expenses.
-- Index: expenses_user_id_spent_on_idx (user_id, spent_on DESC, id DESC): the date
-- range and the cursor are index conditions (NULL bounds become -infinity / infinity),
-- the scan returns rows in the wanted order, so LIMIT stops early; the other filters are
-- checked on the rows read. EXPLAIN ANALYZE on a scratch database (60,000 rows, 40,000 of
-- them the caller's): generic plans always Index Scan expenses_user_id_spent_on_idx with no
-- Sort (0.1 ms first page, 1.2 ms one month, 20 ms for a rare amount range); custom plans
-- pick expenses_user_id_amount_idx + Sort for a narrow amount range (0.2 ms) and
-- expenses_category_id_user_id_idx + Incremental Sort for a category (0.1 ms).
-- $1 user_id uuid, $2 from date|NULL, $3 to date|NULL, $4 category_id uuid|NULL,
-- $5 min_amount numeric|NULL, $6 max_amount numeric|NULL, $7 tag text|NULL (exact tag),
-- $8 q text|NULL (case-insensitive substring of description or notes),
-- $9 before_spent_on date|NULL, $10 before_id uuid|NULL (the cursor), $11 limit int
SELECT id, category_id, amount, spent_on, description, payment_method, tags, notes, receipt_url, created_at, updated_at, version
FROM expenses
WHERE
    user_id = $1
    AND spent_on >= coalesce($2::date, '-infinity'::date)
    AND spent_on <= coalesce($3::date, 'infinity'::date)
    AND (spent_on, id) < (
        coalesce($9::date, 'infinity'::date),
        coalesce($10::uuid, 'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid)
    )
    AND ($4::uuid IS NULL OR category_id = $4)
    AND ($5::numeric IS NULL OR amount >= $5)
    AND ($6::numeric IS NULL OR amount <= $6)
    AND ($7::text IS NULL OR tags @> ARRAY[$7::text])
    AND (
        $8::text IS NULL
        OR strpos(lower(coalesce(description, '') || ' ' || coalesce(notes, '')), lower($8)) > 0
    )
ORDER BY spent_on DESC, id DESC
LIMIT $11;
