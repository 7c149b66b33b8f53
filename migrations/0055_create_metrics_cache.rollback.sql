-- Rollback of 0055_create_metrics_cache (its trigger goes with the table).
SET lock_timeout = '5s';

DROP TABLE metrics_cache;
