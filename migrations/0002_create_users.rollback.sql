-- Rollback of 0002_create_users.
SET lock_timeout = '5s';

DROP TABLE users;
