-- quest/insert_raw_event.sql
-- Stores one signed webhook delivery, once: a redelivery (same provider event id) inserts
-- nothing and returns no row.  The owner is found in the same statement through the active
-- integration naming the provider account; none -> user_id NULL, status 'unmatched'.
-- Concurrent deliveries of one event serialise on events_raw_provider_provider_event_id_key.
-- Serves POST /webhooks/{provider}. Index: integrations_provider_external_account_id_key.
-- $1 provider text, $2 provider_event_id text, $3 event_type text, $4 external_account_id text,
-- $5 payload jsonb
WITH owner AS (
    SELECT (
        SELECT i.user_id
        FROM integrations AS i
        WHERE i.provider = $1
            AND i.external_account_id = $4
            AND i.status = 'active'
    ) AS user_id
)

INSERT INTO events_raw (provider, provider_event_id, event_type, external_account_id, user_id, payload, status)
SELECT
    $1 AS provider,
    $2 AS provider_event_id,
    $3 AS event_type,
    $4 AS external_account_id,
    o.user_id,
    $5 AS payload,
    CASE WHEN o.user_id IS NULL THEN 'unmatched' ELSE 'pending' END AS status
FROM owner AS o
ON CONFLICT (provider, provider_event_id) DO NOTHING
RETURNING id, status;
