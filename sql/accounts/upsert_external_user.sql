-- accounts/upsert_external_user.sql
-- Finds or creates the account of an external identity (issuer's provider name, subject) in one
-- statement: concurrent first requests of one subject end with one row, and `created` is true
-- only for the statement that inserted it (xmax = 0 on a freshly inserted tuple).
-- The no-op DO UPDATE makes RETURNING give the existing row; it runs once per cache TTL per
-- process for an active subject (service/http/external.py).  Email and name are taken at first
-- sight only.  A deleted account (not yet purged) answers inactive.  Another account holding the email: users_email_key (409).
-- Serves bearer authentication with an external token. Unique: users_auth_provider_id_key.
-- $1 auth_provider text, $2 auth_provider_id text, $3 email text (lower-case), $4 display_name text
INSERT INTO users (auth_provider, auth_provider_id, email, display_name)
VALUES ($1, $2, $3, $4)
ON CONFLICT (auth_provider, auth_provider_id) DO UPDATE
    SET auth_provider_id = excluded.auth_provider_id
RETURNING id, is_active AND deleted_at IS NULL AS is_active, (xmax = 0) AS created;
