-- platform/rule_fk_index.sql
-- Catalog rule: every foreign key has an index whose first column is one of
-- the FK's columns, so that deleting or updating a referenced row finds the
-- referencing rows through an index instead of scanning the table.  A leading
-- FK column is enough for composite keys such as (chat_id, chat_kind), where
-- the first column alone picks out a handful of rows.  Partial indexes count
-- only when their predicate is "<column> IS NOT NULL" (which the referential
-- check's equality implies).  One problem line per FK.
-- Serves tests/dba/test_catalog_rules.py and `db rules`. Catalog scan, no index needed.
SELECT
    cl.relname || ': foreign key ' || con.conname || ' ' || pg_get_constraintdef(con.oid)
    || ' has no index starting with its columns' AS problem
FROM pg_constraint AS con
INNER JOIN pg_class AS cl ON con.conrelid = cl.oid
INNER JOIN pg_namespace AS n ON cl.relnamespace = n.oid
WHERE n.nspname = 'public'
    AND con.contype = 'f'
    AND NOT EXISTS (
        SELECT
        FROM pg_index AS i
        WHERE i.indrelid = con.conrelid
            AND i.indkey[0] = ANY (con.conkey)  -- noqa: CP03, LT01, LT06
            AND (i.indpred IS NULL OR pg_get_expr(i.indpred, i.indrelid) ~ '^\(\w+ IS NOT NULL\)$')
    );
