-- Rollback of 0053_create_pets (its indexes and trigger go with the table).
SET lock_timeout = '5s';

DROP TABLE pets;
