-- quest/list_integrations.sql
-- The caller's integrations (revoked ones too), newest first, after a keyset cursor.
-- Serves GET /integrations. Index: integrations_user_id_created_at_idx (user_id, created_at DESC, id DESC).
-- $1 user_id uuid, $2 before_created_at timestamptz (NULL = first page), $3 before_id uuid, $4 limit int
SELECT
    id, provider, external_account_id, to_jsonb(scopes) AS scopes, status, expires_at,
    (refresh_token_enc IS NOT NULL) AS has_refresh_token, revoked_at, created_at, updated_at, version
FROM integrations
WHERE user_id = $1
    AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3::uuid))
ORDER BY created_at DESC, id DESC
LIMIT $4;
