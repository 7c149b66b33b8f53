-- 0120_add_idempotency_claim_token
-- Idempotency claims carry a claim token: every claim (first or take-over)
-- draws a new one, and completing or releasing a key matches it, so a
-- request that overran the take-over window cannot overwrite (or delete) the
-- response of the request that took its key over.
--
-- ADD COLUMN with a constant default is metadata-only (no rewrite).  Rows
-- claimed before this migration, or by the previous release during a rolling
-- deploy (its INSERT names no token), read the nil UUID, which no claim of
-- this release returns (claim_key.sql always draws gen_random_uuid()).
-- depends: 0112_validate_audit_event_chk
SET lock_timeout = '5s';
SET statement_timeout = '60s';
SET search_path = public, pg_catalog;

ALTER TABLE idempotency_keys
ADD COLUMN claim_token uuid NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000';

COMMENT ON COLUMN idempotency_keys.claim_token IS
'Drawn by each claim; complete_key and release_key match it (a stale claim writes nothing).';
