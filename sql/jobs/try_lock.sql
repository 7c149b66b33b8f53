-- jobs/try_lock.sql
-- Takes the job's advisory lock for the rest of the caller's transaction, without
-- waiting: TRUE when taken, FALSE when another worker holds it (that worker does
-- the batch; this one skips).  Transaction-scoped: released at COMMIT/ROLLBACK,
-- nothing session-scoped, safe behind PgBouncer in transaction mode.
-- Serves every purge batch (service/jobs). Index: none (no table read).
-- $1 job_name text
SELECT pg_try_advisory_xact_lock(hashtext('service.jobs'), hashtext($1::text)) AS taken;
