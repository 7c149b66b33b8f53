-- Rollback of 0003_create_auth_sessions.
SET lock_timeout = '5s';

DROP TABLE auth_sessions;
