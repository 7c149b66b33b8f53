-- quest/rotate_integration.sql
-- Replaces the encrypted tokens of one of the caller's non-revoked integrations (both sealed
-- again under the current key: token_key_id is one per row), and its scopes and expiry when
-- their flags are true; returns the public columns.  Runs after
-- quest/lock_integration_secrets in the same transaction.
-- Serves PATCH /integrations/{id}. Index: integrations_pkey.
-- $1 user_id uuid, $2 integration_id uuid, $3 access_token_enc bytea, $4 refresh_token_enc bytea (or NULL),
-- $5 token_key_id text, $6 set_scopes bool, $7 scopes jsonb (array of strings),
-- $8 set_expires_at bool, $9 expires_at timestamptz (NULL = does not expire)
UPDATE integrations
SET
    access_token_enc = $3,
    refresh_token_enc = $4,
    token_key_id = $5,
    scopes = CASE WHEN $6 THEN array(SELECT jsonb_array_elements_text($7::jsonb)) ELSE scopes END,
    expires_at = CASE WHEN $8 THEN $9::timestamptz ELSE expires_at END
WHERE
    id = $2
    AND user_id = $1
    AND status <> 'revoked'
RETURNING
    id, provider, external_account_id, to_jsonb(scopes) AS scopes, status, expires_at,
    (refresh_token_enc IS NOT NULL) AS has_refresh_token, revoked_at, created_at, updated_at, version;
