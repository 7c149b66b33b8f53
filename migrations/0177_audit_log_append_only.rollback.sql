-- Rollback of 0177_audit_log_append_only: service_app may UPDATE and DELETE audit rows again, as 0082 granted.
SET lock_timeout = '5s';

-- A DO block because there is nothing to grant to where the role does not exist.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'service_app') THEN
        GRANT UPDATE, DELETE ON TABLE audit_log TO service_app;
    END IF;
END
$$;

COMMENT ON TABLE audit_log IS 'Append-only security events (sign-in, password, account, integrations).';
