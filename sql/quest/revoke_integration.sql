-- quest/revoke_integration.sql
-- Revokes one of the caller's non-revoked integrations: status revoked, tokens and key id
-- erased.  No row: missing, another user's, or already revoked.
-- Serves DELETE /integrations/{id}. Index: integrations_pkey.
-- $1 user_id uuid, $2 integration_id uuid, $3 if_match bigint[] (NULL = unconditional)
UPDATE integrations
SET
    status = 'revoked',
    access_token_enc = NULL,
    refresh_token_enc = NULL,
    token_key_id = NULL,
    revoked_at = now()
WHERE id = $2
    AND user_id = $1
    AND status <> 'revoked'
    AND ($3::bigint[] IS NULL OR $3::bigint[] @> ARRAY[version])
RETURNING
    id, provider, external_account_id, to_jsonb(scopes) AS scopes, status, expires_at,
    (refresh_token_enc IS NOT NULL) AS has_refresh_token, revoked_at, created_at, updated_at, version;
