-- 0172_create_quest_daily_xp (rollback)
SET lock_timeout = '5s';
SET statement_timeout = '60s';
SET search_path = public, pg_catalog;

DROP TABLE quest_daily_xp;
