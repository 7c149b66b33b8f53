-- platform/rule_money_numeric.sql
-- Catalog rule: money is numeric. A column of type money, or a column whose
-- name matches $1 (a regex of money-like names, defined in
-- service/dba/rules.py) with any type but numeric, is reported.
-- Serves tests/dba/test_catalog_rules.py and `db rules`. Catalog scan, no index needed.
-- $1 text: regex of money-like column names
SELECT
    cl.relname || '.' || a.attname || ': money held as ' || format_type(a.atttypid, a.atttypmod)
    || '; use numeric(12,2)' AS problem
FROM pg_attribute AS a
INNER JOIN pg_class AS cl ON a.attrelid = cl.oid
INNER JOIN pg_namespace AS n ON cl.relnamespace = n.oid
WHERE n.nspname = 'public'
    AND cl.relkind IN ('r', 'p')
    AND cl.relname NOT LIKE '\_yoyo\_%'
    AND cl.relname <> 'yoyo_lock'
    AND a.attnum > 0
    AND NOT a.attisdropped
    AND (
        a.atttypid = 'money'::regtype
        OR (a.attname ~ $1::text AND a.atttypid <> 'numeric'::regtype)
    );
