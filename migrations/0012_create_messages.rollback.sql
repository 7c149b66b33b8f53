-- Rollback of 0012_create_messages.
SET lock_timeout = '5s';

DROP TABLE messages;
