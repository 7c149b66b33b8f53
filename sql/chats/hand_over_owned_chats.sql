-- chats/hand_over_owned_chats.sql
-- The user leaves every chat: each group the user owns goes to its
-- longest-standing admin, else its longest-standing member (ties by user
-- id), one audit row (chat_owner_handover, for the new owner) per group, and
-- every membership of the user is deleted, in one statement (the exclusion
-- constraint is checked at its end, the deferred owner check at COMMIT).
-- Runs after chats/lock_member_chats and chats/delete_deserted_chats, so
-- every group the user still owns has another member.  Messages are not
-- touched (their sender_id goes NULL when the account row is deleted).
-- Returns one row per group handed over.  Serves chats.logic.hand_over_owned_chats.
-- Indexes: chat_members_user_id_idx, chat_members_pkey.
-- $1 user_id uuid (the departing account)
WITH owned AS (
    SELECT m.chat_id
    FROM chat_members AS m
    WHERE
        m.user_id = $1
        AND m.role = 'owner'
),

successor AS (
    SELECT DISTINCT ON (m.chat_id)
        m.chat_id,
        m.user_id,
        m.role AS previous_role
    FROM chat_members AS m
    INNER JOIN owned AS o ON m.chat_id = o.chat_id
    WHERE m.user_id <> $1
    ORDER BY m.chat_id ASC, m.role = 'admin' DESC, m.created_at ASC, m.user_id ASC
),

promoted AS (
    UPDATE chat_members AS t
    SET role = 'owner'
    FROM successor AS s
    WHERE
        t.chat_id = s.chat_id
        AND t.user_id = s.user_id
    RETURNING t.chat_id, t.user_id
),

departed AS (
    DELETE FROM chat_members AS d
    WHERE d.user_id = $1
    RETURNING d.chat_id
),

audited AS (
    INSERT INTO audit_log (user_id, event, details)
    SELECT
        s.user_id,
        'chat_owner_handover' AS event,
        jsonb_build_object(
            'chat_id', s.chat_id,
            'from_user_id', $1::uuid,
            'to_user_id', s.user_id,
            'previous_role', s.previous_role,
            'reason', 'account_delete'
        ) AS details
    FROM successor AS s
    INNER JOIN promoted AS p ON s.chat_id = p.chat_id
)

SELECT
    s.chat_id,
    s.user_id AS new_owner_id,
    s.previous_role,
    (SELECT count(*) FROM departed) AS memberships_left
FROM successor AS s
ORDER BY s.chat_id;
