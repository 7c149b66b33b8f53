-- 0190_add_users_deleted_at
-- Account deletion (issue #13 §3): DELETE /me marks the account deleted
-- (deleted_at) in the deleting transaction; the account_purge retention job
-- deletes the row (and what cascades from it) ACCOUNT_PURGE_DELAY later.
-- A nullable column without default: metadata-only, no rewrite.
-- depends: 0186_create_events_raw_unmatched_account_idx
SET lock_timeout = '5s';
SET statement_timeout = '60s';
SET search_path = public, pg_catalog;

ALTER TABLE users ADD COLUMN deleted_at timestamptz;

COMMENT ON COLUMN users.deleted_at IS
    'When DELETE /me marked the account deleted; the account_purge job deletes the row later (README, "Account deletion").';
