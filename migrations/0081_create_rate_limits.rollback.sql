-- Rollback of 0081_create_rate_limits.
SET lock_timeout = '5s';

DROP TABLE rate_limits;
