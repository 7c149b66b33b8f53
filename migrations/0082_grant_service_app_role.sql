-- 0082_grant_service_app_role
-- Least privilege: the service connects as a login role that is a member of
-- service_app, which may read and write rows but owns no table and cannot run
-- DDL.  Migrations keep running as the owner.  ALTER DEFAULT PRIVILEGES makes
-- tables created by later migrations (run by the same owner) reachable too.
-- The role is cluster-wide: created when missing, never dropped here.  Where
-- the migration owner may not create roles, the migration fails in
-- production (SERVICE_ENV=production, passed on by the runner as the setting
-- service.env); elsewhere the grants are skipped with a notice (the service
-- then runs as the owner, as in development).
-- depends: 0081_create_rate_limits
SET lock_timeout = '5s';
SET statement_timeout = '60s';

-- A DO block because the role is created only when missing (no CREATE ROLE IF NOT EXISTS).
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'service_app') THEN
        BEGIN
            CREATE ROLE service_app NOLOGIN;
        EXCEPTION WHEN insufficient_privilege THEN
            -- service.env is set on the migration connection by the runner (service/db/migrate.py).
            IF current_setting('service.env', true) = 'production' THEN
                RAISE EXCEPTION 'cannot create role service_app, so its grants cannot be made: '
                    'have a role administrator run CREATE ROLE service_app NOLOGIN, then migrate again';
            END IF;
            RAISE NOTICE 'cannot create role service_app: grants skipped (development only; production fails here)';
            RETURN;
        END;
    END IF;
    GRANT USAGE ON SCHEMA public TO service_app;
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO service_app;
    GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO service_app;
    REVOKE ALL ON TABLE _yoyo_migration, _yoyo_log, _yoyo_version, yoyo_lock FROM service_app;
    GRANT SELECT ON TABLE _yoyo_migration TO service_app;
    ALTER DEFAULT PRIVILEGES IN SCHEMA public
        GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO service_app;
    ALTER DEFAULT PRIVILEGES IN SCHEMA public
        GRANT USAGE, SELECT ON SEQUENCES TO service_app;
END
$$;
