-- Rollback of 0032_create_expenses.
SET lock_timeout = '5s';

DROP TABLE expenses;
