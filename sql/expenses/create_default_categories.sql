-- expenses/create_default_categories.sql
-- The six default categories of a user (the seed's names, colours and icons),
-- in one statement; a name the user already has (any case) is skipped, so
-- running it again is harmless (db seed uses it for existing accounts).
-- Called by accounts.logic.on_user_created inside the registration transaction.
-- Returns the number of categories created. Unique: categories_user_id_name_key_key (the
-- defaults are ASCII, whose lower() is their casefold(): names.name_key).
-- $1 user_id uuid
WITH created AS (
    INSERT INTO categories (user_id, name, color, icon, is_default, name_key)
    SELECT
        $1::uuid AS user_id,
        d.name,
        d.color,
        d.icon,
        TRUE AS is_default,
        lower(d.name) AS name_key
    FROM (
        VALUES
        ('Food', '#ef4444', '🍔'),
        ('Transport', '#3b82f6', '🚗'),
        ('Shopping', '#10b981', '🛍️'),
        ('Bills', '#f59e0b', '💳'),
        ('Entertainment', '#8b5cf6', '🎬'),
        ('Health', '#ec4899', '🏥')
    ) AS d (name, color, icon)
    ON CONFLICT (user_id, name_key) DO NOTHING
    RETURNING id
)

SELECT count(*)::integer AS created
FROM created;
