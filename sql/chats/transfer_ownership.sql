-- chats/transfer_ownership.sql
-- Hands a chat the caller owns over to another member, in one statement:
-- chats.owner_id moves, the new owner gets role owner and the old one admin
-- (chat_members_chat_id_owner_excl is checked at the end of the statement).
-- Returns the new owner's membership; no row when the caller is not the owner
-- or the member does not exist.  Serves PATCH /chats/{id}/members/{user_id}
-- with role owner. Indexes: chats_pkey, chat_members_pkey, users_pkey.
-- $1 user_id uuid (the caller), $2 chat_id uuid, $3 member_id uuid,
-- $4 if_match bigint[] (NULL = unconditional; else the new owner's membership version must be one of them)
WITH chat AS (
    UPDATE chats AS c
    SET owner_id = $3
    WHERE
        c.id = $2
        AND c.owner_id = $1
        AND c.owner_id <> $3
        AND EXISTS (
            SELECT 1 AS found
            FROM chat_members AS t
            WHERE
                t.chat_id = $2
                AND t.user_id = $3
                AND ($4::bigint[] IS NULL OR $4::bigint[] @> ARRAY[t.version])
        )
    RETURNING c.id
),

roles AS (
    UPDATE chat_members AS m
    SET role = CASE WHEN m.user_id = $1 THEN 'admin' ELSE 'owner' END
    FROM chat
    WHERE
        m.chat_id = chat.id
        AND m.user_id IN ($1, $3)
    RETURNING m.user_id, m.role, m.created_at, m.version
)

SELECT
    r.user_id,
    u.display_name,
    u.username,
    r.role,
    r.created_at AS joined_at,
    r.version
FROM roles AS r
INNER JOIN users AS u ON r.user_id = u.id
WHERE r.user_id = $3;
