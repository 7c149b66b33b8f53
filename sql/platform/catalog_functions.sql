-- platform/catalog_functions.sql
-- Functions and procedures of the public schema (not those of extensions):
-- identity signature, full definition (pg_get_functiondef) and comment.
-- Serves the schema snapshot, db verify, db docs and GET /ready. Catalog scan, no index needed.
SELECT
    p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' AS signature,
    pg_get_functiondef(p.oid) AS definition,
    obj_description(p.oid, 'pg_proc') AS comment
FROM pg_proc AS p
INNER JOIN pg_namespace AS n ON p.pronamespace = n.oid
WHERE n.nspname = 'public'
    AND p.prokind IN ('f', 'p')
    AND NOT EXISTS (
        SELECT
        FROM pg_depend AS d
        WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
    );
