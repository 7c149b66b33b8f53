-- accounts/is_known_address.sql
-- Whether this account has signed in successfully from this address (one boolean).
-- Serves POST /me/password (password-check throttling). Index: known_sign_in_addresses_pkey.
-- $1 user_id uuid, $2 address text
SELECT count(*) > 0 AS known
FROM known_sign_in_addresses
WHERE
    user_id = $1
    AND address = $2;
