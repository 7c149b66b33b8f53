-- linked_accounts/delete_linked_account.sql
-- Unlinks one of the caller's accounts; returns its id, no row when it is missing or someone else's.
-- Serves DELETE /linked-accounts/{id}. Index: linked_accounts_pkey.
-- $1 user_id uuid, $2 linked_account_id uuid
DELETE FROM linked_accounts
WHERE id = $2
    AND user_id = $1
RETURNING id;
