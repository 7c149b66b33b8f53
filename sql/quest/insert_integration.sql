-- quest/insert_integration.sql
-- Connects a provider account for the caller with already-encrypted tokens; returns the
-- public columns only (never a token).  Unique: integrations_user_id_provider_key,
-- integrations_provider_external_account_id_key (both over non-revoked rows).
-- Scopes travel as JSON in and out (a text[] column; check-sql compares JSON with list[str]).
-- Serves POST /integrations. Index: integrations_pkey.
-- $1 user_id uuid, $2 provider text, $3 external_account_id text, $4 access_token_enc bytea,
-- $5 refresh_token_enc bytea (NULL = none), $6 token_key_id text, $7 scopes jsonb (array of strings),
-- $8 expires_at timestamptz (NULL = does not expire)
INSERT INTO integrations (
    user_id, provider, external_account_id, access_token_enc, refresh_token_enc, token_key_id,
    scopes, expires_at
)
VALUES (
    $1, $2, $3, $4, $5, $6,
    array(SELECT jsonb_array_elements_text($7::jsonb)),
    $8
)
RETURNING
    id, provider, external_account_id, to_jsonb(scopes) AS scopes, status, expires_at,
    (refresh_token_enc IS NOT NULL) AS has_refresh_token, revoked_at, created_at, updated_at, version;
