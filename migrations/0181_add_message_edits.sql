-- 0181_add_message_edits
-- Messages that can be corrected (issue #16): a user edits or deletes their
-- own user messages.  updated_at (kept by set_updated_at; NULL for a row not
-- changed since it was posted: the API shows created_at then), edited_at (the
-- "edited" marker, set by an edit of the content), deleted_at (a tombstone:
-- the row stays so that pages and cursors keep their positions, its content,
-- thinking and drawer_data are cleared) and version (If-Match).
-- Every ADD COLUMN is metadata-only (NULL, or a constant default: no rewrite);
-- DROP NOT NULL on content is a catalog change (a tombstone has no content).
-- The tombstone CHECK is added NOT VALID (no scan under the ACCESS EXCLUSIVE
-- lock) and validated by 0182.
-- Retention: a tombstone is kept as long as its chat (it holds no content;
-- it keeps a page's rows where they were); deleting the chat deletes it.
-- depends: 0180_create_ledger
SET lock_timeout = '5s';
SET statement_timeout = '60s';
SET search_path = public, pg_catalog;

ALTER TABLE messages ADD COLUMN updated_at timestamptz;
ALTER TABLE messages ADD COLUMN edited_at timestamptz;
ALTER TABLE messages ADD COLUMN deleted_at timestamptz;
ALTER TABLE messages ADD COLUMN version bigint NOT NULL DEFAULT 0;
-- Deliberate: a tombstone has no content; the service reads content as nullable in this release.
-- squawk-ignore ban-drop-not-null
ALTER TABLE messages ALTER COLUMN content DROP NOT NULL;

ALTER TABLE messages ADD CONSTRAINT messages_tombstone_chk
    CHECK ((deleted_at IS NULL) = (content IS NOT NULL)) NOT VALID;

CREATE TRIGGER messages_set_updated_at_trg
BEFORE UPDATE ON messages
FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TRIGGER messages_bump_version_trg
BEFORE UPDATE ON messages
FOR EACH ROW EXECUTE FUNCTION bump_version();

COMMENT ON TABLE messages IS
    'Chat messages; ids give the chronological order.  A user may edit or delete (tombstone) their own.';
COMMENT ON COLUMN messages.content IS 'The text; NULL only for a tombstone (deleted_at set).';
COMMENT ON COLUMN messages.updated_at IS 'Last change of the row (set_updated_at); NULL: unchanged since created_at.';
COMMENT ON COLUMN messages.edited_at IS 'When the author last edited the content (the "edited" marker).';
COMMENT ON COLUMN messages.deleted_at IS
    'Tombstone: the message was deleted; content, thinking and drawer_data are cleared; kept with the chat.';
COMMENT ON COLUMN messages.version IS 'Bumped by every UPDATE (bump_version); the ETag of /chats/{id}/messages/{mid}.';
