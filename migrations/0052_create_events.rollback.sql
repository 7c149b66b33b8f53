-- Rollback of 0052_create_events (its indexes go with the table).
SET lock_timeout = '5s';

DROP TABLE events;
