-- Rollback of 0050_create_integrations (its indexes and trigger go with the table).
SET lock_timeout = '5s';

DROP TABLE integrations;
