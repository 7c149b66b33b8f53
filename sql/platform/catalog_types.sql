-- platform/catalog_types.sql
-- Enum and domain types of the public schema (not those of extensions):
-- name, the definition after "CREATE TYPE/DOMAIN <name>", and the comment.
-- Serves the schema snapshot, db verify, db docs and GET /ready. Catalog scan, no index needed.
SELECT
    t.typname AS name,
    CASE t.typtype
        WHEN 'e'
            THEN
                'TYPE ' || quote_ident(t.typname) || ' AS ENUM ('
                || (
                    SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder)
                    FROM pg_enum AS e
                    WHERE e.enumtypid = t.oid
                )
                || ')'
        ELSE
            'DOMAIN ' || quote_ident(t.typname) || ' AS ' || format_type(t.typbasetype, t.typtypmod)
            || CASE WHEN t.typnotnull THEN ' NOT NULL' ELSE '' END
            || coalesce(' DEFAULT ' || t.typdefault, '')
            || coalesce((
                SELECT
                    string_agg(
                        ' CONSTRAINT ' || quote_ident(c.conname) || ' ' || pg_get_constraintdef(c.oid), ''
                        ORDER BY convert_to(c.conname, 'UTF8')
                    )
                FROM pg_constraint AS c
                WHERE c.contypid = t.oid AND c.contype = 'c'
            ), '')
    END AS definition,
    obj_description(t.oid, 'pg_type') AS comment
FROM pg_type AS t
INNER JOIN pg_namespace AS n ON t.typnamespace = n.oid
WHERE n.nspname = 'public'
    AND t.typtype IN ('e', 'd')
    AND NOT EXISTS (
        SELECT
        FROM pg_depend AS d
        WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e'
    );
