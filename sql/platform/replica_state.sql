-- platform/replica_state.sql
-- One row on a streaming replica: whether it is in recovery, the WAL position it has replayed
-- (as text; NULL on a primary) and its lag in seconds (0 when it has replayed all it received,
-- else the age of the last replayed transaction). Read at most once per REPLICA_STATE_TTL per
-- replica by service/db/replicas.py. Functions only, no table, no index.
SELECT
    pg_is_in_recovery() AS in_recovery,
    pg_last_wal_replay_lsn()::text AS replay_lsn,
    CASE
        WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0.0
        ELSE coalesce(extract(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp()), 0.0)
    END::float8 AS lag_s;
