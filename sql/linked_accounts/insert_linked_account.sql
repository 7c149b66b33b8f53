-- linked_accounts/insert_linked_account.sql
-- Links an institution account for the caller; returns it.
-- Serves POST /linked-accounts. Unique: linked_accounts_knot_item_id_key (409).
-- $1 user_id uuid, $2 institution text, $3 account_name text, $4 permissions jsonb (array of strings),
-- $5 knot_item_id text
INSERT INTO linked_accounts (user_id, institution, account_name, permissions, knot_item_id)
VALUES ($1, $2, $3, $4, $5)
RETURNING id, institution, account_name, permissions, knot_item_id, created_at, updated_at, version;
