-- Rollback of 0010_create_chats.
SET lock_timeout = '5s';

DROP TABLE chats;
