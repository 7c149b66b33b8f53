-- chats/delete_deserted_chats.sql
-- Deletes the chats the user owns that nobody else is in: their solo chats
-- and the groups whose only member they are (messages and context go by
-- cascade).  Returns (id, kind) of each.  Runs after chats/lock_member_chats.
-- Serves chats.logic.hand_over_owned_chats. Indexes: chat_members_user_id_idx,
-- chat_members_pkey (other members), chats_pkey.
-- $1 user_id uuid
DELETE FROM chats AS c
USING chat_members AS me
WHERE
    me.user_id = $1
    AND me.role = 'owner'
    AND c.id = me.chat_id
    AND NOT EXISTS (
        SELECT 1 AS found
        FROM chat_members AS other
        WHERE
            other.chat_id = me.chat_id
            AND other.user_id <> $1
    )
RETURNING c.id, c.kind;
