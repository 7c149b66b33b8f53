-- 0183_create_trigram_extensions
-- pg_trgm (trigram matching: an index can serve ILIKE '%term%') and btree_gin
-- (plain columns such as user_id in a GIN index), for the task title search
-- of issue #16 (index in 0184).  Both ship with PostgreSQL (contrib) and are
-- trusted extensions since PostgreSQL 13: the database owner may create them.
-- depends: 0182_validate_messages_tombstone_chk
SET lock_timeout = '5s';
SET statement_timeout = '60s';
SET search_path = public, pg_catalog;

CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS btree_gin WITH SCHEMA public;
