-- platform/current_role_privileges.sql
-- What the connected role may do beyond reading and writing rows: production
-- refuses to start when it is a superuser, bypasses RLS, may create objects in
-- the public schema, or owns tables.  Catalog lookups; no index needed.
SELECT
    r.rolsuper AS is_superuser,
    r.rolbypassrls AS bypasses_rls,
    has_schema_privilege('public', 'CREATE') AS can_create,
    (
        SELECT count(*)::integer
        FROM pg_class AS c
        WHERE
            c.relowner = r.oid
            AND c.relnamespace = 'public'::regnamespace
            AND c.relkind IN ('r', 'p')
    ) AS owned_tables
FROM pg_roles AS r
WHERE r.rolname = current_user;
