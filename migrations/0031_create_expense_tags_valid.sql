-- 0031_create_expense_tags_valid
-- A CHECK cannot hold a subquery, so the per-element rule for expense tags
-- (at most 20, each 1..100 characters, no NULL element) lives in an
-- IMMUTABLE function that expenses_tags_chk calls.
-- depends: 0030_create_categories
SET lock_timeout = '5s';
SET statement_timeout = '60s';

CREATE FUNCTION expense_tags_valid(tags text[]) RETURNS boolean
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
RETURNS NULL ON NULL INPUT
AS $$
    SELECT cardinality(tags) <= 20
        AND NOT EXISTS (
            SELECT 1
            FROM unnest(tags) AS t (tag)
            WHERE t.tag IS NULL OR char_length(t.tag) NOT BETWEEN 1 AND 100
        )
$$;

COMMENT ON FUNCTION expense_tags_valid(text[]) IS
    'At most 20 tags, each 1..100 characters and not NULL (expenses_tags_chk).';
