-- accounts/delete_user.sql
-- Deletes an account; foreign keys cascade to everything it owns.
-- Returns the id, or no row when it was already gone. Index: users_pkey.
-- $1 user_id uuid
DELETE FROM users
WHERE id = $1
RETURNING id;
