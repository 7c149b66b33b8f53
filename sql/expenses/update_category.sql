-- expenses/update_category.sql
-- PATCH /categories/{id}: each field changes only when its flag is true.
-- Returns the category; no row for a missing or another user's id.
-- Index: categories_pkey. Unique: categories_user_id_name_key_key (409 on a taken name).
-- $1 user_id uuid, $2 category_id uuid,
-- $3 set_name bool, $4 name text, $5 set_description bool, $6 description text,
-- $7 set_color bool, $8 color text, $9 set_icon bool, $10 icon text,
-- $11 if_match bigint[] (NULL = unconditional; else the row's version must be one of them),
-- $12 name_key text (names.name_key of $4; used when $3)
UPDATE categories
SET
    name = CASE WHEN $3 THEN $4 ELSE name END,
    name_key = CASE WHEN $3 THEN $12 ELSE name_key END,
    description = CASE WHEN $5 THEN $6 ELSE description END,
    color = CASE WHEN $7 THEN lower($8) ELSE color END,
    icon = CASE WHEN $9 THEN $10 ELSE icon END
WHERE id = $2 AND user_id = $1
    AND ($11::bigint[] IS NULL OR $11::bigint[] @> ARRAY[version])
RETURNING id, name, description, color, icon, is_default, created_at, updated_at, version;
