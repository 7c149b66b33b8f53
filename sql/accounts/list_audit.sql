-- accounts/list_audit.sql
-- The caller's security events, newest first, after a keyset cursor.
-- Serves GET /me/audit. Index: audit_log_user_id_idx (user_id, id DESC).
-- $1 user_id uuid, $2 before_id bigint (NULL = first page), $3 limit int
SELECT id, event, host(client_addr) AS client_addr, details, created_at
FROM audit_log
WHERE user_id = $1
    AND ($2::bigint IS NULL OR id < $2)
ORDER BY id DESC
LIMIT $3;
