-- quest/get_raw_event_id.sql
-- The id of the stored delivery of one provider event (a redelivery answers with the original's id);
-- no row when it is unknown (or removed by retention).
-- Serves POST /webhooks/{provider} (redeliveries). Index: events_raw_provider_provider_event_id_key.
-- $1 provider text, $2 provider_event_id text
SELECT id
FROM events_raw
WHERE provider = $1
    AND provider_event_id = $2;
