-- platform/rule_primary_key.sql
-- Catalog rule: every table has a primary key. Returns one problem line per
-- table without one (yoyo's bookkeeping tables left out).
-- Serves tests/dba/test_catalog_rules.py and `db rules`. Catalog scan, no index needed.
SELECT cl.relname || ': table has no primary key' AS problem
FROM pg_class AS cl
INNER JOIN pg_namespace AS n ON cl.relnamespace = n.oid
WHERE n.nspname = 'public'
    AND cl.relkind IN ('r', 'p')
    AND cl.relname NOT LIKE '\_yoyo\_%'
    AND cl.relname <> 'yoyo_lock'
    AND NOT EXISTS (
        SELECT
        FROM pg_constraint AS con
        WHERE con.conrelid = cl.oid AND con.contype = 'p'
    );
