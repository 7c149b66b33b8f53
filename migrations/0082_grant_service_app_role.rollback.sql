-- Rollback of 0082_grant_service_app_role.
-- Revokes what the forward migration granted in this database.  The role
-- itself is cluster-wide (other databases may use it) and is left in place.
SET lock_timeout = '5s';

-- A DO block because the revokes apply only where the role exists (no REVOKE IF EXISTS).
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'service_app') THEN
        ALTER DEFAULT PRIVILEGES IN SCHEMA public
            REVOKE USAGE, SELECT ON SEQUENCES FROM service_app;
        ALTER DEFAULT PRIVILEGES IN SCHEMA public
            REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM service_app;
        REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM service_app;
        REVOKE ALL ON ALL TABLES IN SCHEMA public FROM service_app;
        REVOKE USAGE ON SCHEMA public FROM service_app;
    END IF;
END
$$;
