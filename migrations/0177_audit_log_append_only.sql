-- 0177_audit_log_append_only
-- The audit log is append-only for the service: service_app may read and
-- insert audit rows, never change or remove them (0082 granted UPDATE and
-- DELETE on every table).  Retention deletes old rows through a SECURITY
-- DEFINER function owned by another role (the lifecycle jobs), not through
-- service_app.  Deleting an account still sets audit_log.user_id to NULL:
-- referential actions run as the table's owner, not as the deleting role.
-- depends: 0176_index_categories_name_key
SET lock_timeout = '5s';
SET statement_timeout = '60s';
SET search_path = public, pg_catalog;

-- A DO block because there is nothing to revoke where the role does not exist (no REVOKE IF EXISTS).
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'service_app') THEN
        REVOKE UPDATE, DELETE, TRUNCATE ON TABLE audit_log FROM service_app;
    END IF;
END
$$;

COMMENT ON TABLE audit_log IS
    'Append-only security events (sign-in, password, account, integrations); service_app may not UPDATE or DELETE.';
