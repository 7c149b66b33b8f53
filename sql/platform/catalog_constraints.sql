-- platform/catalog_constraints.sql
-- Table constraints (p, u, f, c, x) of the public schema's tables, yoyo's
-- left out. NOT NULL constraints (contype n, PostgreSQL 18+) are left out:
-- they are the columns' NOT NULL, and their names differ between versions.
-- Columns: table, name, contype, pg_get_constraintdef (says NOT VALID when
-- not validated), the referenced table of an FK, comment.
-- Serves the schema snapshot, db verify, db docs and GET /ready. Catalog scan, no index needed.
SELECT
    cl.relname AS table_name,
    con.conname AS name,
    con.contype::text AS type,
    pg_get_constraintdef(con.oid) AS definition,
    ref.relname AS references_table,
    obj_description(con.oid, 'pg_constraint') AS comment
FROM pg_constraint AS con
INNER JOIN pg_class AS cl ON con.conrelid = cl.oid
INNER JOIN pg_namespace AS n ON cl.relnamespace = n.oid
LEFT JOIN pg_class AS ref ON con.confrelid = ref.oid
WHERE n.nspname = 'public'
    AND con.contype IN ('p', 'u', 'f', 'c', 'x')
    AND cl.relname NOT LIKE '\_yoyo\_%'
    AND cl.relname <> 'yoyo_lock';
