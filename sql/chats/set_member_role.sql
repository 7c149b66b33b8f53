-- chats/set_member_role.sql
-- Makes another member of a chat the caller owns an admin or a plain member;
-- no row when the caller is not the owner or the member does not exist.
-- The caller's ownership is read where it is recorded: its chat_members row.
-- Runs after chats/lock_chat in one transaction (service/chats/logic.py).
-- Serves PATCH /chats/{id}/members/{user_id} (role admin | member).
-- Indexes: chat_members_pkey (twice), users_pkey.
-- $1 user_id uuid (the caller), $2 chat_id uuid, $3 member_id uuid, $4 role text,
-- $5 if_match bigint[] (NULL = unconditional; else the membership's version must be one of them)
WITH updated AS (
    UPDATE chat_members AS t
    SET role = $4
    FROM chat_members AS me
    WHERE
        t.chat_id = $2
        AND t.user_id = $3
        AND t.user_id <> $1
        AND t.role <> 'owner'
        AND me.chat_id = t.chat_id
        AND me.user_id = $1
        AND me.role = 'owner'
        AND ($5::bigint[] IS NULL OR $5::bigint[] @> ARRAY[t.version])
    RETURNING t.user_id, t.role, t.created_at, t.version
)

SELECT
    upd.user_id,
    u.display_name,
    u.username,
    upd.role,
    upd.created_at AS joined_at,
    upd.version
FROM updated AS upd
INNER JOIN users AS u ON upd.user_id = u.id;
