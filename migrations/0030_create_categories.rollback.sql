-- Rollback of 0030_create_categories.
SET lock_timeout = '5s';

DROP TABLE categories;
