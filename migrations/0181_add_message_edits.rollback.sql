-- 0181_add_message_edits (rollback)
-- Tombstones get a placeholder content again before NOT NULL comes back.
SET lock_timeout = '5s';
SET statement_timeout = '60s';
SET search_path = public, pg_catalog;

DROP TRIGGER messages_bump_version_trg ON messages;
DROP TRIGGER messages_set_updated_at_trg ON messages;
ALTER TABLE messages DROP CONSTRAINT messages_tombstone_chk;
UPDATE messages SET content = '(deleted)'
WHERE content IS NULL;
ALTER TABLE messages ALTER COLUMN content SET NOT NULL;
ALTER TABLE messages DROP COLUMN version;
ALTER TABLE messages DROP COLUMN deleted_at;
ALTER TABLE messages DROP COLUMN edited_at;
ALTER TABLE messages DROP COLUMN updated_at;

COMMENT ON TABLE messages IS 'Chat messages, append-only; ids give the chronological order.';
COMMENT ON COLUMN messages.content IS NULL;
