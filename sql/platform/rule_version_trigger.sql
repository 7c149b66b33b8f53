-- platform/rule_version_trigger.sql
-- Catalog rule: a table with a version column (the ETag / If-Match source) has a
-- BEFORE UPDATE ... FOR EACH ROW trigger executing bump_version() (tgtype bits:
-- 1 row, 2 before, 16 update), so no statement can change a row and keep its
-- version. One problem line per table without it.
-- Serves tests/dba/test_catalog_rules.py and `db rules`. Catalog scan, no index needed.
SELECT
    cl.relname || ': has version but no BEFORE UPDATE FOR EACH ROW trigger '
    || 'executing bump_version()' AS problem
FROM pg_class AS cl
INNER JOIN pg_namespace AS n ON cl.relnamespace = n.oid
INNER JOIN pg_attribute AS a ON cl.oid = a.attrelid
WHERE n.nspname = 'public'
    AND cl.relkind IN ('r', 'p')
    AND cl.relname NOT LIKE '\_yoyo\_%'
    AND cl.relname <> 'yoyo_lock'
    AND a.attname = 'version'
    AND NOT a.attisdropped
    AND NOT EXISTS (
        SELECT
        FROM pg_trigger AS t
        INNER JOIN pg_proc AS p ON t.tgfoid = p.oid
        WHERE t.tgrelid = cl.oid
            AND p.proname = 'bump_version'
            AND t.tgenabled <> 'D'
            AND t.tgtype::integer & 19 = 19
    );
