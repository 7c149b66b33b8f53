-- expenses/get_category.sql
-- One of the caller's categories; no row for a missing or another user's id.
-- Serves GET /categories/{id}. Index: categories_pkey.
-- $1 user_id uuid, $2 category_id uuid
SELECT id, name, description, color, icon, is_default, created_at, updated_at, version
FROM categories
WHERE id = $2 AND user_id = $1;
