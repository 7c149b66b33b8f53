-- quest/list_pets.sql
-- The caller's pets, oldest first, after a keyset cursor (created_at, id);
-- energy and hunger as they are now (migration 0185).
-- Serves GET /pets. Index: pets_user_id_created_at_idx (user_id, created_at, id).
-- $1 user_id uuid, $2 after_created_at timestamptz (NULL = first page), $3 after_id uuid, $4 limit int
SELECT
    id, name, species, pet_energy_now(energy, gauges_at) AS energy, pet_hunger_now(hunger, gauges_at) AS hunger,
    level, xp, last_event_id, last_update, traits,
    created_at, updated_at, version
FROM pets
WHERE user_id = $1
    AND ($2::timestamptz IS NULL OR (created_at, id) > ($2, $3::uuid))
ORDER BY created_at ASC, id ASC
LIMIT $4;
