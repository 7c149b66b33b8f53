-- platform/catalog_triggers.sql
-- User-defined triggers (not the internal ones behind FKs) of the public
-- schema's tables: table, name, pg_get_triggerdef, comment.
-- Serves the schema snapshot, db verify, db docs and GET /ready. Catalog scan, no index needed.
SELECT
    cl.relname AS table_name,
    t.tgname AS name,
    pg_get_triggerdef(t.oid) AS definition,
    obj_description(t.oid, 'pg_trigger') AS comment
FROM pg_trigger AS t
INNER JOIN pg_class AS cl ON t.tgrelid = cl.oid
INNER JOIN pg_namespace AS n ON cl.relnamespace = n.oid
WHERE n.nspname = 'public'
    AND NOT t.tgisinternal;
