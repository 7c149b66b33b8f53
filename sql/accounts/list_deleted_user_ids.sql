-- accounts/list_deleted_user_ids.sql
-- The accounts marked deleted and not yet purged: each worker's start-up (and reconnect) load
-- of the set whose access tokens are refused (service/accounts/deleted.py).  Bounded by the
-- purge: with ACCOUNT_PURGE_DELAY these are the deletions of that long, plus any backlog.
-- Index: users_deleted_at_idx (partial: only the marked rows).
SELECT id
FROM users
WHERE deleted_at IS NOT NULL;
