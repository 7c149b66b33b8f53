-- expenses/list_categories.sql
-- The caller's categories by name (case-insensitive), after a keyset cursor.
-- Serves GET /categories. Index: categories_user_id_name_lower_key (user_id, lower(name)).
-- $1 user_id uuid, $2 after_name text (NULL = first page), $3 limit int
SELECT id, name, description, color, icon, is_default, created_at, updated_at, version
FROM categories
WHERE
    user_id = $1
    AND ($2::text IS NULL OR lower(name) > lower($2))
ORDER BY lower(name)
LIMIT $3;
