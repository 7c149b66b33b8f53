-- linked_accounts/get_linked_account.sql
-- One of the caller's linked accounts; no row when it is missing or someone else's.
-- Serves GET /linked-accounts/{id}. Index: linked_accounts_pkey.
-- $1 user_id uuid, $2 linked_account_id uuid
SELECT id, institution, account_name, permissions, knot_item_id, created_at, updated_at, version
FROM linked_accounts
WHERE id = $2
    AND user_id = $1;
