-- Rollback of 0013_create_group_contexts.
SET lock_timeout = '5s';

DROP TABLE group_contexts;
