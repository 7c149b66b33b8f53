-- quest/delete_pet.sql
-- Deletes one of the caller's pets; returns its id (no row: missing or another user's).
-- Serves DELETE /pets/{id}. Index: pets_pkey.
-- $1 user_id uuid, $2 pet_id uuid
DELETE FROM pets
WHERE id = $2
    AND user_id = $1
RETURNING id;
