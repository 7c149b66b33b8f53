-- 0110_chat_owner_single_source (rollback)
-- Puts chats.owner_id back, filled from the owner rows, with its old cascade;
-- drops the deferred owner check.
SET lock_timeout = '5s';
SET statement_timeout = '60s';

ALTER TABLE chats ADD COLUMN owner_id uuid;
UPDATE chats AS c
SET owner_id = m.user_id
FROM chat_members AS m
WHERE
    m.chat_id = c.id
    AND m.role = 'owner';
ALTER TABLE chats ALTER COLUMN owner_id SET NOT NULL;
ALTER TABLE chats ADD CONSTRAINT chats_owner_id_fkey FOREIGN KEY (owner_id)
    REFERENCES users (id) ON DELETE CASCADE;
CREATE INDEX chats_owner_id_idx ON chats (owner_id);
COMMENT ON COLUMN chats.owner_id IS 'The member with role owner; deleting this account deletes the chat.';
COMMENT ON COLUMN chat_members.role IS 'owner (exactly one, = chats.owner_id) | admin | member.';

DROP TRIGGER chats_one_owner_trg ON chats;
DROP TRIGGER chat_members_one_owner_trg ON chat_members;
DROP FUNCTION chats_check_one_owner();
