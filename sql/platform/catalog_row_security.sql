-- platform/catalog_row_security.sql
-- Row-level security of the public schema's tables: every table with RLS
-- enabled or forced, and every policy, as one definition line each (policy
-- name empty for the table's ENABLE/FORCE line).  Serves the schema snapshot
-- and db verify.  Catalog scan, no index needed.
SELECT
    c.relname AS table_name,
    '' AS name,
    concat_ws(
        ' ',
        CASE WHEN c.relrowsecurity THEN 'ENABLE ROW LEVEL SECURITY' END,
        CASE WHEN c.relforcerowsecurity THEN 'FORCE ROW LEVEL SECURITY' END
    ) AS definition
FROM pg_class AS c
INNER JOIN pg_namespace AS n ON c.relnamespace = n.oid
WHERE
    n.nspname = 'public'
    AND (c.relrowsecurity OR c.relforcerowsecurity)

UNION ALL

SELECT
    p.tablename AS table_name,
    p.policyname AS name,
    concat_ws(
        ' ',
        'AS ' || p.permissive,
        'FOR ' || p.cmd,
        'TO ' || array_to_string(p.roles, ', '),
        'USING (' || p.qual || ')',
        'WITH CHECK (' || p.with_check || ')'
    ) AS definition
FROM pg_policies AS p
WHERE p.schemaname = 'public';
