-- 0185_add_pet_gauges_at (rollback)
-- The gauges keep the values stored at gauges_at (the time since is not carried over).
SET lock_timeout = '5s';
SET statement_timeout = '60s';
SET search_path = public, pg_catalog;

DROP FUNCTION pet_hunger_now(integer, timestamptz);
DROP FUNCTION pet_energy_now(integer, timestamptz);
ALTER TABLE pets DROP COLUMN gauges_at;
