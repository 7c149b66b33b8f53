-- platform/catalog_indexes.sql
-- Indexes of the public schema's tables that do not back a primary key,
-- unique or exclusion constraint (those are implied by the constraint),
-- yoyo's left out: table, name, pg_get_indexdef, comment.
-- Serves the schema snapshot, db verify, db docs and GET /ready. Catalog scan, no index needed.
SELECT
    cl.relname AS table_name,
    ic.relname AS name,
    pg_get_indexdef(i.indexrelid) AS definition,
    obj_description(i.indexrelid, 'pg_class') AS comment
FROM pg_index AS i
INNER JOIN pg_class AS ic ON i.indexrelid = ic.oid
INNER JOIN pg_class AS cl ON i.indrelid = cl.oid
INNER JOIN pg_namespace AS n ON cl.relnamespace = n.oid
WHERE n.nspname = 'public'
    AND cl.relname NOT LIKE '\_yoyo\_%'
    AND cl.relname <> 'yoyo_lock'
    AND NOT EXISTS (
        SELECT
        FROM pg_constraint AS con
        WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x')
    );
