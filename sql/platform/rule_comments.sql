-- platform/rule_comments.sql
-- Catalog rule: every table has a COMMENT, and so has every column whose
-- meaning the DDL does not show: every jsonb column (its shape), and every
-- enum-like column (name matches $1) unless a CHECK lists its values
-- (col = ANY (ARRAY[...]), which is how PostgreSQL prints col IN (...)).
-- One problem line per object. Serves tests/dba/test_catalog_rules.py and `db rules`. Catalog scan.
-- $1 text: regex of enum-like column names
SELECT cl.relname || ': table has no COMMENT' AS problem
FROM pg_class AS cl
INNER JOIN pg_namespace AS n ON cl.relnamespace = n.oid
WHERE n.nspname = 'public'
    AND cl.relkind IN ('r', 'p')
    AND cl.relname NOT LIKE '\_yoyo\_%'
    AND cl.relname <> 'yoyo_lock'
    AND obj_description(cl.oid, 'pg_class') IS NULL
UNION ALL
SELECT
    cl.relname || '.' || a.attname || ': '
    || CASE WHEN a.atttypid = 'jsonb'::regtype THEN 'jsonb' ELSE 'enum-like' END
    || ' column has no COMMENT' AS problem
FROM pg_attribute AS a
INNER JOIN pg_class AS cl ON a.attrelid = cl.oid
INNER JOIN pg_namespace AS n ON cl.relnamespace = n.oid
WHERE n.nspname = 'public'
    AND cl.relkind IN ('r', 'p')
    AND cl.relname NOT LIKE '\_yoyo\_%'
    AND cl.relname <> 'yoyo_lock'
    AND a.attnum > 0
    AND NOT a.attisdropped
    AND col_description(cl.oid, a.attnum) IS NULL
    AND (
        a.atttypid = 'jsonb'::regtype
        OR (
            a.atttypid IN ('text'::regtype, 'varchar'::regtype)
            AND a.attname ~ $1::text
            AND NOT EXISTS (
                SELECT
                FROM pg_constraint AS con
                WHERE con.conrelid = cl.oid
                    AND con.contype = 'c'
                    AND pg_get_constraintdef(con.oid) ~ ('\m' || a.attname || '\M\)?(::text)? = ANY \(ARRAY\[')
            )
        )
    );
