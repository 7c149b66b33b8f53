-- quest/update_pet.sql
-- PATCH a pet: each field changes only when its flag is true.  A change to energy,
-- hunger or traits moves last_update.  The CHECKs refuse out-of-range state.
-- Setting one gauge takes the other's value now and restarts the clock
-- (gauges_at); a rename leaves both running.
-- Serves PATCH /pets/{id}. Index: pets_pkey.
-- $1 user_id uuid, $2 pet_id uuid,
-- $3 set_name bool, $4 name text, $5 set_species bool, $6 species text,
-- $7 set_energy bool, $8 energy int, $9 set_hunger bool, $10 hunger int,
-- $11 set_traits bool, $12 traits jsonb,
-- $13 if_match bigint[] (NULL = unconditional; else the row's version must be one of them)
UPDATE pets
SET
    name = CASE WHEN $3 THEN $4 ELSE name END,
    species = CASE WHEN $5 THEN $6 ELSE species END,
    energy = CASE WHEN $7 THEN $8::integer WHEN $9 THEN pet_energy_now(energy, gauges_at) ELSE energy END,
    hunger = CASE WHEN $9 THEN $10::integer WHEN $7 THEN pet_hunger_now(hunger, gauges_at) ELSE hunger END,
    gauges_at = CASE WHEN $7 OR $9 THEN now() ELSE gauges_at END,
    traits = CASE WHEN $11 THEN $12::jsonb ELSE traits END,
    last_update = CASE WHEN $7 OR $9 OR $11 THEN now() ELSE last_update END
WHERE id = $2
    AND user_id = $1
    AND ($13::bigint[] IS NULL OR $13::bigint[] @> ARRAY[version])
RETURNING
    id, name, species, pet_energy_now(energy, gauges_at) AS energy, pet_hunger_now(hunger, gauges_at) AS hunger,
    level, xp, last_event_id, last_update, traits,
    created_at, updated_at, version;
