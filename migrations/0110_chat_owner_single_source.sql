-- 0110_chat_owner_single_source
-- A chat's owner is chat_members.role = 'owner', and nothing else (issue #12).
-- chats.owner_id repeated it, was read by some statements and not others, and
-- its ON DELETE CASCADE deleted every group of an account being deleted (with
-- the other members' messages).  It goes: reads derive the owner from
-- chat_members (chat_members_chat_id_owner_excl's partial index finds it);
-- account deletion hands groups over first (service/chats/logic.py).
-- "Exactly one owner, a member, at every commit" is a deferred constraint
-- trigger: at COMMIT each chat touched by an insert, delete or role change
-- must still exist with exactly one owner row (an owner row is a membership,
-- so the owner is a member; a solo chat's members are all owners by
-- chat_members_solo_owner_chk, so it has exactly its owner).  At most one
-- owner stays the exclusion constraint; this adds "at least one".
-- depends: 0100_add_resource_versions
SET lock_timeout = '5s';
SET statement_timeout = '60s';

CREATE FUNCTION chats_check_one_owner() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    targets uuid[];
    target uuid;
    owners bigint;
BEGIN
    -- Each branch names only fields its table has (PL/pgSQL resolves them when run).
    IF TG_TABLE_NAME = 'chats' THEN
        targets := ARRAY[NEW.id];
    ELSIF TG_OP = 'INSERT' THEN
        targets := ARRAY[NEW.chat_id];
    ELSIF TG_OP = 'DELETE' THEN
        targets := ARRAY[OLD.chat_id];
    ELSE
        targets := ARRAY[OLD.chat_id, NEW.chat_id];
    END IF;
    FOREACH target IN ARRAY targets LOOP
        PERFORM 1 FROM chats WHERE id = target;
        IF FOUND THEN
            SELECT count(*) INTO owners
            FROM chat_members
            WHERE chat_id = target AND role = 'owner';
            IF owners <> 1 THEN
                RAISE EXCEPTION 'chat % would have % owners; a chat has exactly one owner, a member', target, owners
                    USING ERRCODE = 'integrity_constraint_violation',
                          CONSTRAINT = 'chats_one_owner',
                          TABLE = 'chat_members';
            END IF;
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION chats_check_one_owner() IS
    'Deferred check: each chat touched by the transaction has exactly one owner row in chat_members.';

CREATE CONSTRAINT TRIGGER chat_members_one_owner_trg
AFTER INSERT OR DELETE OR UPDATE OF role, chat_id ON chat_members
DEFERRABLE INITIALLY DEFERRED
FOR EACH ROW EXECUTE FUNCTION chats_check_one_owner();

CREATE CONSTRAINT TRIGGER chats_one_owner_trg
AFTER INSERT ON chats
DEFERRABLE INITIALLY DEFERRED
FOR EACH ROW EXECUTE FUNCTION chats_check_one_owner();

-- Every chat has its owner row already (create_chat and transfer_ownership
-- kept both in step); this one-time check refuses to drop the copy otherwise.
DO $$
BEGIN
    IF EXISTS (
        SELECT 1
        FROM chats AS c
        WHERE NOT EXISTS (
            SELECT 1 FROM chat_members AS m
            WHERE m.chat_id = c.id AND m.user_id = c.owner_id AND m.role = 'owner'
        )
    ) THEN
        RAISE EXCEPTION 'a chat whose owner_id is not its owner member: fix it before this migration';
    END IF;
END
$$;

-- The column is dropped on purpose: it was a second record of ownership; the
-- service stops reading it in the same release (reads derive the owner).
-- squawk-ignore ban-drop-column
ALTER TABLE chats DROP COLUMN owner_id;

COMMENT ON COLUMN chat_members.role IS
    'owner (exactly one per chat at every commit: chats_one_owner triggers; the only record of ownership) | admin | member.';
