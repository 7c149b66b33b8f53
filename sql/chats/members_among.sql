-- chats/members_among.sql
-- Which of the given users are members of a chat the caller belongs to (all
-- of its members when $3 is NULL), by user id; no rows for a non-member.
-- Serves the checks of the ledger writes (service/chats/logic.py), after the
-- chat row is locked. Index: chat_members_pkey.
-- $1 user_id uuid, $2 chat_id uuid, $3 user_ids uuid[] (NULL = every member)
SELECT m.user_id
FROM chat_members AS me
INNER JOIN chat_members AS m ON me.chat_id = m.chat_id
WHERE
    me.chat_id = $2
    AND me.user_id = $1
    AND ($3::uuid[] IS NULL OR $3::uuid[] @> ARRAY[m.user_id])
ORDER BY m.user_id;
