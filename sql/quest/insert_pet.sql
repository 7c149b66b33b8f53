-- quest/insert_pet.sql
-- Creates a pet for the caller; returns the pet row.
-- Serves POST /pets. Index: pets_pkey.
-- $1 user_id uuid, $2 name text, $3 species text, $4 energy int, $5 hunger int, $6 traits jsonb
INSERT INTO pets (user_id, name, species, energy, hunger, traits)
VALUES ($1, $2, $3, $4, $5, $6)
RETURNING
    id, name, species, pet_energy_now(energy, gauges_at) AS energy, pet_hunger_now(hunger, gauges_at) AS hunger,
    level, xp, last_event_id, last_update, traits,
    created_at, updated_at, version;
