-- quest/insert_event.sql
-- Inserts the normalized event of one raw event; returns its id, or no row when that raw
-- event already has one (events_raw_event_id_key: a second processing cannot count twice).
-- Serves event processing. Index: events_raw_event_id_key.
-- $1 user_id uuid, $2 raw_event_id bigint, $3 kind text, $4 value bigint, $5 occurred_at timestamptz,
-- $6 metadata jsonb
INSERT INTO events (user_id, raw_event_id, kind, value, occurred_at, metadata)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (raw_event_id) DO NOTHING
RETURNING id;
