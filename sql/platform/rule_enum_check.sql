-- platform/rule_enum_check.sql
-- Catalog rule: every enum-like text column has a CHECK constraint that
-- mentions it (a value list, or a pattern for open sets such as providers).
-- Enum-like: a text or varchar column whose name matches $1 (a regex; the
-- definition lives in service/dba/rules.py). One problem line per column.
-- Serves tests/dba/test_catalog_rules.py and `db rules`. Catalog scan.
-- $1 text: regex of enum-like column names
SELECT cl.relname || '.' || a.attname || ': enum-like text column has no CHECK constraint' AS problem
FROM pg_attribute AS a
INNER JOIN pg_class AS cl ON a.attrelid = cl.oid
INNER JOIN pg_namespace AS n ON cl.relnamespace = n.oid
WHERE n.nspname = 'public'
    AND cl.relkind IN ('r', 'p')
    AND cl.relname NOT LIKE '\_yoyo\_%'
    AND cl.relname <> 'yoyo_lock'
    AND a.attnum > 0
    AND NOT a.attisdropped
    AND a.atttypid IN ('text'::regtype, 'varchar'::regtype)
    AND a.attname ~ $1::text
    AND NOT EXISTS (
        SELECT
        FROM pg_constraint AS con
        WHERE con.conrelid = cl.oid AND con.contype = 'c' AND a.attnum = any(con.conkey)
    );
