-- platform/catalog_columns.sql
-- Columns of the tables of catalog_relations.sql, in table order: type (with
-- typmod), NOT NULL, default or generation expression, identity (a, d or
-- ''), generated (s, v or ''), a collation other than the type's, comment.
-- Serves the schema snapshot, db verify, db docs and GET /ready. Catalog scan, no index needed.
SELECT
    c.relname AS table_name,
    a.attname AS name,
    a.attnum::integer AS position,
    format_type(a.atttypid, a.atttypmod) AS type,
    a.attnotnull AS not_null,
    pg_get_expr(ad.adbin, ad.adrelid) AS default_expr,
    a.attidentity::text AS identity,
    a.attgenerated::text AS generated,
    CASE WHEN a.attcollation <> t.typcollation THEN co.collname END AS collation,
    col_description(c.oid, a.attnum) AS comment
FROM pg_attribute AS a
INNER JOIN pg_class AS c ON a.attrelid = c.oid
INNER JOIN pg_namespace AS n ON c.relnamespace = n.oid
INNER JOIN pg_type AS t ON a.atttypid = t.oid
LEFT JOIN pg_attrdef AS ad ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum
LEFT JOIN pg_collation AS co ON a.attcollation = co.oid
WHERE n.nspname = 'public'
    AND c.relkind IN ('r', 'p')
    AND c.relname NOT LIKE '\_yoyo\_%'
    AND c.relname <> 'yoyo_lock'
    AND a.attnum > 0
    AND NOT a.attisdropped;
