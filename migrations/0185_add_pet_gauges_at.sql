-- 0185_add_pet_gauges_at
-- Pets change with time (issue #16): between events, hunger rises by 2 an
-- hour and energy recovers by 4 an hour, computed when read (no job writes
-- every pet), clamped to the CHECK bounds 0..100.  energy and hunger are the
-- values at gauges_at; pet_energy_now() / pet_hunger_now() give them "now".
-- Every statement that changes a gauge first takes its value "now" and moves
-- gauges_at (apply_event_to_pets, update_pet), so no time is counted twice.
-- ADD COLUMN with DEFAULT now() (stable, evaluated once) is metadata-only:
-- existing pets start their clock at this migration.
-- depends: 0184_create_tasks_title_idx
SET lock_timeout = '5s';
SET statement_timeout = '60s';
SET search_path = public, pg_catalog;

ALTER TABLE pets ADD COLUMN gauges_at timestamptz NOT NULL DEFAULT now();

COMMENT ON COLUMN pets.gauges_at IS
    'When energy and hunger had their stored values; the API shows pet_energy_now() / pet_hunger_now().';

CREATE FUNCTION pet_energy_now(energy integer, since timestamptz) RETURNS integer
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog
AS $$
    SELECT least(100, greatest(0, energy + floor(greatest(0, extract(EPOCH FROM now() - since)) / 3600 * 4)::integer))
$$;

COMMENT ON FUNCTION pet_energy_now(integer, timestamptz) IS
    'A pet''s energy now: recovers 4 an hour since gauges_at, clamped to 0..100 (service/quest/rules.py).';

CREATE FUNCTION pet_hunger_now(hunger integer, since timestamptz) RETURNS integer
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog
AS $$
    SELECT least(100, greatest(0, hunger + floor(greatest(0, extract(EPOCH FROM now() - since)) / 3600 * 2)::integer))
$$;

COMMENT ON FUNCTION pet_hunger_now(integer, timestamptz) IS
    'A pet''s hunger now: rises 2 an hour since gauges_at, clamped to 0..100 (service/quest/rules.py).';
