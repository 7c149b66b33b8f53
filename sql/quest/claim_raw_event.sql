-- quest/claim_raw_event.sql
-- Locks one pending raw event for processing, and first its owner's user row against
-- deletion (KEY SHARE, as the foreign-key checks of processing would, but taken before the
-- raw row: the order an account deletion takes them in).  No row: already processed,
-- unmatched, or being processed by another transaction right now (SKIP LOCKED), so it is
-- never applied twice.  An account purge in progress is waited for, then the row is gone (or
-- still pending if the purge rolled back), never deadlocked with (tests/quest/test_races.py).  (Issue #12: the deletion locked the user row and waited for the raw row; the
-- processing holding the raw row then waited for the user row in its foreign-key check.)
-- Serves event processing (webhooks, `events process`). Index: events_raw_pkey, users_pkey.
-- $1 raw_event_id bigint
SELECT r.id, r.provider, r.event_type, r.user_id, r.payload, r.received_at
FROM events_raw AS r
WHERE r.id = $1
    AND r.status = 'pending'
    AND EXISTS (
        SELECT 1
        FROM users AS u
        WHERE u.id = r.user_id
        FOR KEY SHARE SKIP LOCKED
    )
FOR UPDATE OF r SKIP LOCKED;
