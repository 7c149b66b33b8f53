-- 0120_add_idempotency_claim_token (rollback)
SET lock_timeout = '5s';
SET statement_timeout = '60s';
SET search_path = public, pg_catalog;

ALTER TABLE idempotency_keys DROP COLUMN claim_token;
