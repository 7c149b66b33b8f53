-- platform/try_resource_lock.sql
-- Tries a session-level advisory lock on a resource key (no wait): TRUE when
-- taken.  Serialises conditional writes (If-Match) to one resource across all
-- worker processes. No table, no index.
-- $1 resource_key text
SELECT pg_try_advisory_lock(hashtext($1)) AS locked;
