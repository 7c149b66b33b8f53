-- quest/get_pet.sql
-- One of the caller's pets (no row for another user's pet), energy and hunger as
-- they are now (migration 0185: they change with time between events).
-- Serves GET /pets/{id}. Index: pets_pkey.
-- $1 user_id uuid, $2 pet_id uuid
SELECT
    id, name, species, pet_energy_now(energy, gauges_at) AS energy, pet_hunger_now(hunger, gauges_at) AS hunger,
    level, xp, last_event_id, last_update, traits,
    created_at, updated_at, version
FROM pets
WHERE id = $2
    AND user_id = $1;
