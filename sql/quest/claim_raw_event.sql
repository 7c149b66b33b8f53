-- quest/claim_raw_event.sql
-- Locks one pending raw event for processing.  No row: already processed, unmatched, or
-- being processed by another transaction right now (SKIP LOCKED), so it is never applied twice.
-- Serves event processing (webhooks, `events process`). Index: events_raw_pkey.
-- $1 raw_event_id bigint
SELECT id, provider, event_type, user_id, payload, received_at
FROM events_raw
WHERE id = $1
    AND status = 'pending'
FOR UPDATE SKIP LOCKED;
