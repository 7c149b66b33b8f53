-- Rollback of 0020_create_tasks.
SET lock_timeout = '5s';

DROP TRIGGER tasks_set_updated_at_trg ON tasks;
DROP INDEX tasks_user_id_completed_id_idx;
DROP INDEX tasks_user_id_id_idx;
DROP TABLE tasks;
