-- platform/catalog_extensions.sql
-- Extensions installed in the database (plpgsql, always there, left out):
-- one row per extension name. Versions are left out on purpose: they
-- differ between server builds, not between schemas.
-- Serves the schema snapshot, db verify, db docs and GET /ready. Catalog scan, no index needed.
SELECT e.extname AS name
FROM pg_extension AS e
WHERE e.extname <> 'plpgsql';
