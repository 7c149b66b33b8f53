-- quest/apply_event_to_pets.sql
-- Applies one event's deltas to every pet of its user, clamped to the CHECK bounds
-- (energy and hunger 0..100, xp >= 0), level = 1 + xp / 100; the deltas apply to
-- energy and hunger as they are now (pet_*_now, migration 0185), which restarts their clock.
-- Returns how many pets changed.
-- Serves event processing (webhooks, `events process`). Index: pets_user_id_created_at_idx.
-- $1 user_id uuid, $2 event_id bigint, $3 xp_delta bigint, $4 energy_delta int, $5 hunger_delta int
WITH changed AS (
    UPDATE pets
    SET
        xp = greatest(0, xp + $3::bigint),
        level = 1 + greatest(0, xp + $3::bigint) / 100,
        energy = least(100, greatest(0, pet_energy_now(energy, gauges_at) + $4::integer)),
        hunger = least(100, greatest(0, pet_hunger_now(hunger, gauges_at) + $5::integer)),
        gauges_at = now(),
        last_event_id = $2,
        last_update = now()
    WHERE user_id = $1
    RETURNING id
)

SELECT count(*)::integer AS pets
FROM changed;
