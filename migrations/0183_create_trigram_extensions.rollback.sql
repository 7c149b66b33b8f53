-- 0183_create_trigram_extensions (rollback)
SET lock_timeout = '5s';
SET statement_timeout = '60s';
SET search_path = public, pg_catalog;

DROP EXTENSION btree_gin;
DROP EXTENSION pg_trgm;
