-- platform/applied_migrations.sql
-- Ids of the migrations yoyo has applied; /ready compares them with the files.
-- Serves GET /ready. Table: yoyo's own _yoyo_migration (a few rows, no index needed).
SELECT migration_id
FROM _yoyo_migration;
