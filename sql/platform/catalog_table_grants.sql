-- platform/catalog_table_grants.sql
-- Privileges granted on the public schema's tables and views to roles other
-- than their owner (the owner's own are implicit), one row per table and
-- grantee, privileges in a fixed order: what `GRANT ... ON TABLE` made.
-- PUBLIC is shown as PUBLIC.  yoyo's tables are left out (as in
-- catalog_relations).  Serves the schema snapshot and db verify.
-- Catalog scan, no index needed.
SELECT
    c.relname AS table_name,
    CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END AS grantee,
    string_agg(
        a.privilege_type,
        ', '
        ORDER BY
            array_position(
                ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER', 'MAINTAIN'],
                a.privilege_type
            )
    ) AS privileges
FROM pg_class AS c
INNER JOIN pg_namespace AS n ON c.relnamespace = n.oid
CROSS JOIN LATERAL aclexplode(c.relacl) AS a
WHERE
    n.nspname = 'public'
    AND c.relkind IN ('r', 'p', 'v', 'm')
    AND c.relname NOT LIKE '\_yoyo\_%'
    AND c.relname <> 'yoyo_lock'
    AND a.grantee <> c.relowner
GROUP BY c.relname, a.grantee;
