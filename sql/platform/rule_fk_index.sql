-- platform/rule_fk_index.sql
-- Catalog rule: every foreign key has a (non-partial) index whose leading
-- columns are the FK's columns, in any order, so that deleting or updating a
-- referenced row does not scan the referencing table. One problem line per FK.
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
            AND i.indpred IS NULL
            AND (
                SELECT array_agg(k.attnum ORDER BY k.attnum)
                FROM unnest((string_to_array(i.indkey::text, ' ')::int2[])[1:cardinality(con.conkey)]) AS k (attnum)
            ) = (
                SELECT array_agg(k.attnum ORDER BY k.attnum)
                FROM unnest(con.conkey) AS k (attnum)
            )
    );
