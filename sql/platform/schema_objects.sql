-- platform/schema_objects.sql
-- The public schema as (kind, name, definition) rows, in a stable order: a
-- fingerprint for comparing two databases (migration round trips, drift).
-- yoyo's own bookkeeping tables are left out. Catalog scans; no index needed.
SELECT
    'column' AS kind,
    c.relname || '.' || a.attname AS name,
    format_type(a.atttypid, a.atttypmod)
    || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
    || coalesce(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '')
    || coalesce(' IDENTITY ' || nullif(a.attidentity::text, ''), '') AS definition
FROM pg_attribute AS a
INNER JOIN pg_class AS c ON a.attrelid = c.oid
INNER JOIN pg_namespace AS n ON c.relnamespace = n.oid
LEFT JOIN pg_attrdef AS d ON a.attrelid = d.adrelid AND a.attnum = d.adnum
WHERE n.nspname = 'public'
    AND c.relkind IN ('r', 'p')
    AND c.relname NOT LIKE '%yoyo%'
    AND a.attnum > 0
    AND NOT a.attisdropped
UNION ALL
SELECT
    'constraint' AS kind,
    cl.relname || '.' || con.conname AS name,
    pg_get_constraintdef(con.oid) AS definition
FROM pg_constraint AS con
INNER JOIN pg_class AS cl ON con.conrelid = cl.oid
INNER JOIN pg_namespace AS n ON cl.relnamespace = n.oid
WHERE n.nspname = 'public'
    AND cl.relname NOT LIKE '%yoyo%'
UNION ALL
SELECT
    'index' AS kind,
    i.indexname AS name,
    i.indexdef AS definition
FROM pg_indexes AS i
WHERE i.schemaname = 'public'
    AND i.tablename NOT LIKE '%yoyo%'
UNION ALL
SELECT
    'trigger' AS kind,
    cl.relname || '.' || t.tgname AS name,
    pg_get_triggerdef(t.oid) AS definition
FROM pg_trigger AS t
INNER JOIN pg_class AS cl ON t.tgrelid = cl.oid
INNER JOIN pg_namespace AS n ON cl.relnamespace = n.oid
WHERE n.nspname = 'public'
    AND NOT t.tgisinternal
UNION ALL
SELECT
    'function' AS kind,
    p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' AS name,
    pg_get_functiondef(p.oid) AS definition
FROM pg_proc AS p
INNER JOIN pg_namespace AS n ON p.pronamespace = n.oid
WHERE n.nspname = 'public'
UNION ALL
SELECT
    'comment' AS kind,
    cl.relname || coalesce('.' || a.attname, '') AS name,
    d.description AS definition
FROM pg_description AS d
INNER JOIN pg_class AS cl ON d.objoid = cl.oid AND d.classoid = 'pg_class'::regclass
INNER JOIN pg_namespace AS n ON cl.relnamespace = n.oid
LEFT JOIN pg_attribute AS a ON a.attrelid = cl.oid AND a.attnum = d.objsubid AND d.objsubid > 0
WHERE n.nspname = 'public'
ORDER BY kind, name, definition;
