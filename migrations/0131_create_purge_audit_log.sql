-- 0131_create_purge_audit_log
-- The audit log's retention purge.  service_app is not meant to delete audit rows
-- (append-only, issue #13 section 5); this SECURITY DEFINER function, owned by the
-- migration owner, is its one way to remove them, and it removes only rows past
-- retention: older than keep_days (at least 30), or, for failed sign-ins that named
-- no account, older than unknown_keep_days (at least 1).  At most batch_size rows
-- (1..10000) per call, oldest first; returns how many it deleted.  The caller
-- (service/jobs) holds the job's advisory lock in the same transaction.
-- depends: 0130_index_purge_paths
SET lock_timeout = '5s';
SET statement_timeout = '60s';
SET search_path = public, pg_catalog;

CREATE FUNCTION purge_audit_log(batch_size integer, keep_days integer, unknown_keep_days integer)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public, pg_catalog
AS $$
DECLARE
    purged bigint;
BEGIN
    IF batch_size IS NULL OR batch_size NOT BETWEEN 1 AND 10000 THEN
        RAISE EXCEPTION 'purge_audit_log: batch_size must be 1..10000, not %', batch_size
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF keep_days IS NULL OR keep_days < 30 THEN
        RAISE EXCEPTION 'purge_audit_log: keep_days must be at least 30, not %', keep_days
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF unknown_keep_days IS NULL OR unknown_keep_days < 1 THEN
        RAISE EXCEPTION 'purge_audit_log: unknown_keep_days must be at least 1, not %', unknown_keep_days
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- Failed sign-ins for unknown emails first (index audit_log_unknown_login_idx),
    -- then everything past the long retention (BRIN audit_log_created_at_brin_idx).
    WITH gone AS (
        DELETE FROM audit_log
        WHERE id = ANY (ARRAY(
            SELECT a.id
            FROM audit_log AS a
            WHERE a.event = 'login_failed'
              AND a.user_id IS NULL
              AND a.details ->> 'reason' = 'unknown_email'
              AND a.created_at < now() - make_interval(days => unknown_keep_days)
            ORDER BY a.created_at
            LIMIT batch_size
        ))
        RETURNING 1
    )
    SELECT count(*) INTO purged FROM gone;
    IF purged >= batch_size THEN
        RETURN purged;
    END IF;
    WITH gone AS (
        DELETE FROM audit_log
        WHERE id = ANY (ARRAY(
            SELECT a.id
            FROM audit_log AS a
            WHERE a.created_at < now() - make_interval(days => keep_days)
            LIMIT batch_size - purged
        ))
        RETURNING 1
    )
    SELECT purged + count(*) INTO purged FROM gone;
    RETURN purged;
END
$$;

COMMENT ON FUNCTION purge_audit_log(integer, integer, integer) IS
'Retention purge of audit_log (SECURITY DEFINER): deletes at most batch_size rows past retention, never younger ones.';

REVOKE ALL ON FUNCTION purge_audit_log(integer, integer, integer) FROM public;

-- Role block (no DDL): service_app may exist or not (see 0082).
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'service_app') THEN
        GRANT EXECUTE ON FUNCTION purge_audit_log(integer, integer, integer) TO service_app;
    END IF;
END
$$;
