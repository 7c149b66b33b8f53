-- platform/rule_timestamptz.sql
-- Catalog rule: points in time are timestamptz, never timestamp without
-- time zone (nor arrays of it). One problem line per column.
-- Serves tests/dba/test_catalog_rules.py and `db rules`. Catalog scan, no index needed.
SELECT
    cl.relname || '.' || a.attname || ': ' || format_type(a.atttypid, a.atttypmod)
    || ' column; use timestamptz' AS problem
FROM pg_attribute AS a
INNER JOIN pg_class AS cl ON a.attrelid = cl.oid
INNER JOIN pg_namespace AS n ON cl.relnamespace = n.oid
WHERE n.nspname = 'public'
    AND cl.relkind IN ('r', 'p')
    AND cl.relname NOT LIKE '\_yoyo\_%'
    AND cl.relname <> 'yoyo_lock'
    AND a.attnum > 0
    AND NOT a.attisdropped
    AND a.atttypid IN ('timestamp'::regtype, 'timestamp[]'::regtype);
