-- quest/lock_integration_secrets.sql
-- The encrypted tokens of one of the caller's non-revoked integrations, locked (FOR NO KEY
-- UPDATE) until the transaction ends, so that a rotation re-encrypts what it read and two
-- rotations run one after the other.  No row: missing, another user's, or revoked.
-- Serves PATCH /integrations/{id} (service/quest/logic.py). Index: integrations_pkey.
-- $1 user_id uuid, $2 integration_id uuid
SELECT
    provider,
    access_token_enc,
    refresh_token_enc,
    token_key_id,
    version
FROM integrations
WHERE
    id = $2
    AND user_id = $1
    AND status <> 'revoked'
FOR NO KEY UPDATE;
