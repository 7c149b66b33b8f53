-- 0195_create_chat_invitations (rollback)
-- Pending invitations are lost; adding by email then needs the previous code (201/422).
SET lock_timeout = '5s';
SET statement_timeout = '60s';
SET search_path = public, pg_catalog;

DROP TABLE chat_invitations;
