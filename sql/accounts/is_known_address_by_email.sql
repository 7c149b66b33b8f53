-- accounts/is_known_address_by_email.sql
-- Whether the account with this email has signed in successfully from this
-- address (one boolean; false for an unknown email).
-- Serves POST /auth/login and /auth/token (sign-in throttling).
-- Index: users_email_key, then known_sign_in_addresses_pkey.
-- $1 email text (lower-case), $2 address text
SELECT count(*) > 0 AS known
FROM users AS u
INNER JOIN known_sign_in_addresses AS k
    ON u.id = k.user_id
WHERE
    u.email = $1
    AND k.address = $2;
