-- chats/get_access.sql
-- The caller's role in a chat and the chat's kind; no row for a non-member.
-- Used after a scoped write found no row, to tell 404 from 403 / 409.
-- Serves the failure paths of the /chats/{id}/... writes. Index: chat_members_pkey.
-- $1 user_id uuid, $2 chat_id uuid
SELECT
    role,
    chat_kind
FROM chat_members
WHERE
    chat_id = $2
    AND user_id = $1;
