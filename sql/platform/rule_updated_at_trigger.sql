-- platform/rule_updated_at_trigger.sql
-- Catalog rule: a table with an updated_at column has a BEFORE UPDATE ...
-- FOR EACH ROW trigger executing set_updated_at() (tgtype bits: 1 row,
-- 2 before, 16 update). One problem line per table without it.
-- Serves tests/dba/test_catalog_rules.py and `db rules`. Catalog scan, no index needed.
SELECT
    cl.relname || ': has updated_at but no BEFORE UPDATE FOR EACH ROW trigger '
    || 'executing set_updated_at()' AS problem
FROM pg_class AS cl
INNER JOIN pg_namespace AS n ON cl.relnamespace = n.oid
INNER JOIN pg_attribute AS a ON cl.oid = a.attrelid
WHERE n.nspname = 'public'
    AND cl.relkind IN ('r', 'p')
    AND cl.relname NOT LIKE '\_yoyo\_%'
    AND cl.relname <> 'yoyo_lock'
    AND a.attname = 'updated_at'
    AND NOT a.attisdropped
    AND NOT EXISTS (
        SELECT
        FROM pg_trigger AS t
        INNER JOIN pg_proc AS p ON t.tgfoid = p.oid
        WHERE t.tgrelid = cl.oid
            AND p.proname = 'set_updated_at'
            AND t.tgenabled <> 'D'
            AND t.tgtype::integer & 19 = 19
    );
