-- quest/claim_raw_event.sql
-- Locks one pending raw event for processing, and its owner's user row against deletion
-- (KEY SHARE, as the foreign-key checks of processing would, but taken first).  No row:
-- already processed, unmatched, being processed by another transaction right now, or its
-- account being deleted right now (SKIP LOCKED on both), so it is never applied twice and
-- processing never waits for an account deletion that waits for it (issue #12: the deletion
-- locked the user row and then waited for the raw row; processing, holding the raw row,
-- then waited for the user row in its foreign-key check: a deadlock).
-- Serves event processing (webhooks, `events process`). Index: events_raw_pkey, users_pkey.
-- $1 raw_event_id bigint
SELECT r.id, r.provider, r.event_type, r.user_id, r.payload, r.received_at
FROM events_raw AS r
INNER JOIN users AS u ON r.user_id = u.id
WHERE r.id = $1
    AND r.status = 'pending'
FOR UPDATE OF r SKIP LOCKED
FOR KEY SHARE OF u SKIP LOCKED;
