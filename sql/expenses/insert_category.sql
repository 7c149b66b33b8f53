-- expenses/insert_category.sql
-- Creates one of the caller's categories. Returns the category.
-- Serves POST /categories. Unique: categories_user_id_name_key_key (409 on a taken name).
-- $1 user_id uuid, $2 name text, $3 description text|NULL, $4 color text|NULL (NULL = default),
-- $5 icon text|NULL, $6 name_key text (names.name_key of $2)
INSERT INTO categories (user_id, name, description, color, icon, name_key)
VALUES ($1, $2, $3, coalesce(lower($4), '#3182ce'), $5, $6)
RETURNING id, name, description, color, icon, is_default, created_at, updated_at, version;
