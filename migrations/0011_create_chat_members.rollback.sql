-- Rollback of 0011_create_chat_members.
SET lock_timeout = '5s';

DROP TABLE chat_members;
