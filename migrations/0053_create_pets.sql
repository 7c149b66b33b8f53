-- 0053_create_pets
-- Quest: a user's virtual pets.  The seed's state JSON becomes typed columns with
-- CHECKs (energy and hunger 0..100, level >= 1, xp >= 0) plus a traits object;
-- the API shows them together as the seed's `state` object.
-- depends: 0052_create_events
SET lock_timeout = '5s';
SET statement_timeout = '60s';

CREATE TABLE pets (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL,
    name text NOT NULL,
    species text NOT NULL DEFAULT 'machi',
    -- energy and hunger are bounded 0..100 by CHECKs: integer is plenty.
    -- squawk-ignore prefer-bigint-over-int
    energy integer NOT NULL DEFAULT 100,
    -- hunger: bounded 0..100 by its CHECK, as energy.
    -- squawk-ignore prefer-bigint-over-int
    hunger integer NOT NULL DEFAULT 0,
    level bigint NOT NULL DEFAULT 1,
    xp bigint NOT NULL DEFAULT 0,
    traits jsonb NOT NULL DEFAULT '{}'::jsonb,
    last_event_id bigint,
    last_update timestamptz NOT NULL DEFAULT now(),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pets_pkey PRIMARY KEY (id),
    CONSTRAINT pets_user_id_fkey FOREIGN KEY (user_id)
        REFERENCES users (id) ON DELETE CASCADE,
    -- The last applied event is one of the pet owner's events.
    CONSTRAINT pets_last_event_id_user_id_fkey FOREIGN KEY (last_event_id, user_id)
        REFERENCES events (id, user_id) ON DELETE SET NULL (last_event_id),
    CONSTRAINT pets_name_chk CHECK (char_length(name) BETWEEN 1 AND 50),
    CONSTRAINT pets_species_chk CHECK (char_length(species) BETWEEN 1 AND 32),
    CONSTRAINT pets_energy_chk CHECK (energy BETWEEN 0 AND 100),
    CONSTRAINT pets_hunger_chk CHECK (hunger BETWEEN 0 AND 100),
    CONSTRAINT pets_level_chk CHECK (level >= 1),
    CONSTRAINT pets_xp_chk CHECK (xp >= 0),
    CONSTRAINT pets_traits_chk CHECK (jsonb_typeof(traits) = 'object')
);

-- Serves the user FK and GET /pets (oldest first, keyset on (created_at, id)).
-- The table is created empty in this migration: nothing to block, no need for CONCURRENTLY.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX pets_user_id_created_at_idx ON pets (user_id, created_at, id);

-- Serves the last-event FK (only pets that have applied an event).
-- The table is created empty in this migration: nothing to block, no need for CONCURRENTLY.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX pets_last_event_id_user_id_idx ON pets (last_event_id, user_id)
WHERE last_event_id IS NOT NULL;

CREATE TRIGGER pets_set_updated_at_trg
BEFORE UPDATE ON pets
FOR EACH ROW EXECUTE FUNCTION set_updated_at();

COMMENT ON TABLE pets IS 'Quest: virtual pets; state columns are clamped to their CHECK bounds by the event rules.';
COMMENT ON COLUMN pets.energy IS '0..100; steps restore it, commits tire the pet.';
COMMENT ON COLUMN pets.hunger IS '0..100; commits make the pet hungry, the app feeds it (PATCH).';
COMMENT ON COLUMN pets.level IS '>= 1; 1 + xp / 100, kept with xp by event processing.';
COMMENT ON COLUMN pets.xp IS '>= 0; earned from events only.';
COMMENT ON COLUMN pets.traits IS 'Free-form traits (colour, mood, ...); always a JSON object.';
COMMENT ON COLUMN pets.last_event_id IS 'The last event applied to this pet; NULL before the first.';
COMMENT ON COLUMN pets.last_update IS 'When the state last changed (event applied or PATCH).';
