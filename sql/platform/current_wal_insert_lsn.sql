-- platform/current_wal_insert_lsn.sql
-- The primary's current WAL insert position, as text ('16/B374D848'): after a write request's
-- transactions have committed it is at or past their commit records, so it is the request's
-- read-your-writes token (the X-Read-After response header). One function call, no table, no index.
SELECT pg_current_wal_insert_lsn()::text AS lsn;
