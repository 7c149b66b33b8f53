-- accounts/record_known_address.sql
-- Records (or refreshes) a successful sign-in of this account from this address.
-- Serves POST /auth/login and /auth/token. Index: known_sign_in_addresses_pkey.
-- $1 user_id uuid, $2 address text
INSERT INTO known_sign_in_addresses AS k (user_id, address, last_success_at)
VALUES ($1, $2, now())
ON CONFLICT (user_id, address) DO UPDATE
    SET last_success_at = excluded.last_success_at
    WHERE k.last_success_at < excluded.last_success_at;
