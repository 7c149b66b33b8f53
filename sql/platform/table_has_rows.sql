-- platform/table_has_rows.sql
-- Whether the table named $1 (resolved through search_path) may hold rows:
-- its heap, or a partition's, has a page on disk.  Conservative: a table
-- emptied by DELETE keeps its pages until VACUUM truncates them, so it counts
-- as holding rows; a table never written to, or TRUNCATEd, does not.  False
-- when no such table exists.  The rollback guard asks it of every table a
-- rollback would drop.  Catalog and file-size lookups; reads no rows.
WITH target AS (
    SELECT to_regclass($1::text) AS rel
)

SELECT
    coalesce(pg_relation_size(target.rel), 0)
    + coalesce((
        SELECT sum(pg_relation_size(tree.relid))
        FROM pg_partition_tree(target.rel) AS tree
    ), 0) > 0 AS has_rows
FROM target;
