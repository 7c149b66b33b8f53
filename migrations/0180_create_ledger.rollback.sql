-- 0180_create_ledger (rollback)
-- total_spend keeps the value the ledger left; POST .../context/spend adds to it again.
SET lock_timeout = '5s';
SET statement_timeout = '60s';
SET search_path = public, pg_catalog;

DROP TABLE ledger_shares;
DROP TABLE ledger_entries;
DROP FUNCTION ledger_keep_total_spend();
DROP FUNCTION ledger_check_shares_sum();

COMMENT ON COLUMN group_contexts.total_spend IS 'Sum of the group''s recorded spend; only grows by atomic adds.';
