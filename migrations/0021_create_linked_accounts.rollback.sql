-- Rollback of 0021_create_linked_accounts.
SET lock_timeout = '5s';

DROP TRIGGER linked_accounts_set_updated_at_trg ON linked_accounts;
DROP INDEX linked_accounts_user_id_created_at_id_idx;
DROP TABLE linked_accounts;
