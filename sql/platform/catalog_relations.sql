-- platform/catalog_relations.sql
-- Tables, partitioned tables, views and materialized views of the public
-- schema, without yoyo's bookkeeping tables (_yoyo_*, yoyo_lock) and
-- extensions' tables: kind (r, p, v, m), unlogged?, partition key, view
-- query, comment.
-- Serves the schema snapshot, db verify, db docs and GET /ready. Catalog scan, no index needed.
SELECT
    c.relname AS name,
    c.relkind::text AS kind,
    c.relpersistence = 'u' AS unlogged,
    coalesce(pg_get_partkeydef(c.oid), '') AS partition_key,
    CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) ELSE '' END AS view_query,
    obj_description(c.oid, 'pg_class') AS comment
FROM pg_class AS c
INNER JOIN pg_namespace AS n ON c.relnamespace = n.oid
WHERE n.nspname = 'public'
    AND c.relkind IN ('r', 'p', 'v', 'm')
    AND c.relname NOT LIKE '\_yoyo\_%'
    AND c.relname <> 'yoyo_lock'
    AND NOT EXISTS (
        SELECT
        FROM pg_depend AS d
        WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
    );
