-- Rollback of 0054_create_goals (its index and trigger go with the table).
SET lock_timeout = '5s';

DROP TABLE goals;
