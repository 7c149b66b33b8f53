-- linked_accounts/list_linked_accounts.sql
-- The caller's linked accounts, newest first, after a keyset cursor (created_at, id).
-- Serves GET /linked-accounts.
-- Index: linked_accounts_user_id_created_at_id_idx (user_id, created_at DESC, id DESC).
-- $1 user_id uuid, $2 before_created_at timestamptz (NULL = first page), $3 before_id uuid, $4 limit int
SELECT id, institution, account_name, permissions, knot_item_id, created_at, updated_at, version
FROM linked_accounts
WHERE user_id = $1
    AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3::uuid))
ORDER BY created_at DESC, id DESC
LIMIT $4;
