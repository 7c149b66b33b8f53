-- Rollback of 0051_create_events_raw (its indexes go with the table).
SET lock_timeout = '5s';

DROP TABLE events_raw;
