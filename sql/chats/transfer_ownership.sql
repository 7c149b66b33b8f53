-- chats/transfer_ownership.sql
-- Hands a chat the caller owns over to another member, in one statement: the
-- member gets role owner and the caller admin, both rows or neither (the
-- UPDATE writes only when it finds both; chat_members_chat_id_owner_excl is
-- checked at the end of the statement, and the deferred chats_one_owner
-- triggers at COMMIT).  Runs after chats/lock_chat in one transaction, so a
-- concurrent leave/remove/demote of either member has committed or waits.
-- Returns the new owner's membership; no row when the caller is not the owner
-- or the member does not exist.  Serves PATCH /chats/{id}/members/{user_id}
-- with role owner. Indexes: chat_members_pkey, users_pkey.
-- $1 user_id uuid (the caller), $2 chat_id uuid, $3 member_id uuid,
-- $4 if_match bigint[] (NULL = unconditional; else the new owner's membership version must be one of them)
WITH pair AS (
    SELECT m.user_id
    FROM chat_members AS m
    WHERE
        m.chat_id = $2
        AND m.user_id IN ($1, $3)
        AND (m.user_id <> $1 OR m.role = 'owner')
        AND (m.user_id <> $3 OR $4::bigint[] IS NULL OR $4::bigint[] @> ARRAY[m.version])
),

roles AS (
    UPDATE chat_members AS m
    SET role = CASE WHEN m.user_id = $1 THEN 'admin' ELSE 'owner' END
    WHERE
        m.chat_id = $2
        AND m.user_id IN ($1, $3)
        AND (SELECT count(*) FROM pair) = 2
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
