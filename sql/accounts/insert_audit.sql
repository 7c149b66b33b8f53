-- accounts/insert_audit.sql
-- Appends one security event (never secrets in details).
-- Serves every route that audits: register, login, logout, password, deletion, integrations.
-- $1 user_id uuid (NULL when unknown), $2 event text, $3 client_addr text, $4 details jsonb
INSERT INTO audit_log (user_id, event, client_addr, details)
VALUES ($1, $2, $3::text::inet, $4);
