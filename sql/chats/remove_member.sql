-- chats/remove_member.sql
-- Removes a member: the owner or an admin may remove anyone but the owner,
-- any member may remove themself (leave), the owner never leaves (hand the
-- chat over first).  Returns the removed user's id; no row otherwise.
-- Serves DELETE /chats/{id}/members/{user_id}. Index: chat_members_pkey (twice).
-- $1 user_id uuid (the caller), $2 chat_id uuid, $3 member_id uuid,
-- $4 if_match bigint[] (NULL = unconditional; else the membership's version must be one of them)
DELETE FROM chat_members AS t
USING chat_members AS me
WHERE
    t.chat_id = $2
    AND t.user_id = $3
    AND t.role <> 'owner'
    AND me.chat_id = t.chat_id
    AND me.user_id = $1
    AND (me.user_id = t.user_id OR me.role IN ('owner', 'admin'))
    AND ($4::bigint[] IS NULL OR $4::bigint[] @> ARRAY[t.version])
RETURNING t.user_id;
