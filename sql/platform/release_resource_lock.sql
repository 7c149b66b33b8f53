-- platform/release_resource_lock.sql
-- Releases the advisory lock taken by try_resource_lock.sql. No table, no index.
-- $1 resource_key text
SELECT pg_advisory_unlock(hashtext($1)) AS released;
