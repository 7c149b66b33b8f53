-- quest/get_integration.sql
-- One of the caller's integrations, public columns only (no row for another user's).
-- Serves GET /integrations/{id}. Index: integrations_pkey.
-- $1 user_id uuid, $2 integration_id uuid
SELECT
    id, provider, external_account_id, to_jsonb(scopes) AS scopes, status, expires_at,
    (refresh_token_enc IS NOT NULL) AS has_refresh_token, revoked_at, created_at, updated_at, version
FROM integrations
WHERE id = $2
    AND user_id = $1;
