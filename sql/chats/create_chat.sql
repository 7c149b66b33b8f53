-- chats/create_chat.sql
-- Creates a chat with its owner (role owner: the only record of ownership),
-- the given members (role member) and, for a group chat, its context row, in
-- one statement.  Returns the new chat as GET /chats/{id} shows it.
-- Serves POST /chats.
-- A solo chat given members fails chat_members_solo_owner_chk; an unknown
-- member id fails chat_members_user_id_fkey (the whole statement is undone).
-- $1 owner_id uuid, $2 kind text, $3 title text (NULL = from the first user
-- message), $4 member_ids jsonb (an array of user id strings; the owner and
-- repeats are ignored; jsonb rather than uuid[] because check-sql does not
-- yet recognise asyncpg's 'uuid[]' type name)
WITH chat AS (
    INSERT INTO chats (kind, title)
    VALUES ($2, $3)
    RETURNING id, kind, title, created_at, updated_at, version
),

given AS (
    SELECT DISTINCT given_id.value::uuid AS user_id
    FROM jsonb_array_elements_text($4::jsonb) AS given_id (value)
),

owner_member AS (
    INSERT INTO chat_members (chat_id, chat_kind, user_id, role)
    SELECT
        chat.id,
        chat.kind,
        $1::uuid AS user_id,
        'owner' AS role
    FROM chat
),

added AS (
    INSERT INTO chat_members (chat_id, chat_kind, user_id, role)
    SELECT
        chat.id,
        chat.kind,
        given.user_id,
        'member' AS role
    FROM chat
    CROSS JOIN given
    WHERE given.user_id <> $1::uuid
    RETURNING user_id
),

context AS (
    INSERT INTO group_contexts (chat_id)
    SELECT chat.id
    FROM chat
    WHERE chat.kind = 'group'
)

SELECT
    chat.id,
    chat.kind,
    $1::uuid AS owner_id,
    chat.title,
    'owner' AS my_role,
    1 + (SELECT count(*) FROM added) AS member_count,
    NULL::bigint AS last_message_id,
    NULL::text AS last_message_role,
    NULL::text AS last_message_preview,
    NULL::timestamptz AS last_message_at,
    chat.created_at,
    chat.updated_at,
    chat.version
FROM chat;
