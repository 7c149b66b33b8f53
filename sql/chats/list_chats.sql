-- chats/list_chats.sql
-- The caller's chats (owned or member), most recently active first, after a
-- keyset cursor, each with the caller's role, its member count and a preview
-- of its last message.  Serves GET /chats?kind=.
-- Indexes: chat_members_user_id_idx (user_id, chat_id) finds the caller's
-- memberships, chats_pkey joins their chats, which are sorted on
-- (updated_at, id) (a top-N sort over the caller's chats only); then, for the
-- page's rows only, messages_chat_id_idx (chat_id, id) gives the last message
-- (one backward index probe), chat_members_pkey counts members and
-- chat_members_chat_id_owner_excl finds the owner.
-- The cursor (and any optional bound) is written col < coalesce($n, <largest value>), not
-- ($n IS NULL OR col < $n): a prepared statement's generic plan can use the former as an index
-- condition; the latter becomes a filter, and a deep page reads every newer row first.
-- $1 user_id uuid, $2 before_updated_at timestamptz (NULL = first page),
-- $3 before_id uuid, $4 limit int, $5 kind text (solo | group; NULL = both:
-- a filter on the membership rows already read, chat_members.chat_kind)
WITH page AS (
    SELECT
        c.id,
        c.kind,
        c.title,
        m.role AS my_role,
        c.created_at,
        c.updated_at,
        c.version
    FROM chat_members AS m
    INNER JOIN chats AS c ON m.chat_id = c.id
    WHERE
        m.user_id = $1
        AND ($5::text IS NULL OR m.chat_kind = $5)
        AND (c.updated_at, c.id) < (
            coalesce($2::timestamptz, 'infinity'::timestamptz),
            coalesce($3::uuid, 'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid)
        )
    ORDER BY c.updated_at DESC, c.id DESC
    LIMIT $4
)

SELECT
    p.id,
    p.kind,
    (
        SELECT o.user_id
        FROM chat_members AS o
        WHERE
            o.chat_id = p.id
            AND o.role = 'owner'
    ) AS owner_id,
    p.title,
    p.my_role,
    (
        SELECT count(*) AS n
        FROM chat_members AS cm
        WHERE cm.chat_id = p.id
    ) AS member_count,
    lm.id AS last_message_id,
    lm.role AS last_message_role,
    left(lm.content, 120) AS last_message_preview,
    lm.created_at AS last_message_at,
    p.created_at,
    p.updated_at,
    p.version
FROM page AS p
LEFT JOIN LATERAL (
    SELECT
        msg.id,
        msg.role,
        msg.content,
        msg.created_at
    FROM messages AS msg
    WHERE msg.chat_id = p.id
    ORDER BY msg.id DESC
    LIMIT 1
) AS lm ON TRUE
ORDER BY p.updated_at DESC, p.id DESC;
