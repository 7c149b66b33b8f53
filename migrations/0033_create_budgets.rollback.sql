-- Rollback of 0033_create_budgets.
SET lock_timeout = '5s';

DROP TABLE budgets;
