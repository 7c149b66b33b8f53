-- quest/get_pet.sql
-- One of the caller's pets (no row for another user's pet).
-- Serves GET /pets/{id}. Index: pets_pkey.
-- $1 user_id uuid, $2 pet_id uuid
SELECT
    id, name, species, energy, hunger, level, xp, last_event_id, last_update, traits,
    created_at, updated_at, version
FROM pets
WHERE id = $2
    AND user_id = $1;
