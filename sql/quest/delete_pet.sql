-- quest/delete_pet.sql
-- Deletes one of the caller's pets; returns its id (no row: missing or another user's).
-- Serves DELETE /pets/{id}. Index: pets_pkey.
-- $1 user_id uuid, $2 pet_id uuid, $3 if_match bigint[] (NULL = unconditional)
DELETE FROM pets
WHERE id = $2
    AND user_id = $1
    AND ($3::bigint[] IS NULL OR $3::bigint[] @> ARRAY[version])
RETURNING id;
