-- linked_accounts/delete_linked_account.sql
-- Unlinks one of the caller's accounts; returns its id, no row when it is missing,
-- someone else's or at another version than If-Match names.
-- Serves DELETE /linked-accounts/{id}. Index: linked_accounts_pkey.
-- $1 user_id uuid, $2 linked_account_id uuid, $3 if_match bigint[] (NULL = unconditional)
DELETE FROM linked_accounts
WHERE id = $2
    AND user_id = $1
    AND ($3::bigint[] IS NULL OR $3::bigint[] @> ARRAY[version])
RETURNING id;
