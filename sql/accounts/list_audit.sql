-- accounts/list_audit.sql
-- The caller's security events, newest first, after a keyset cursor.
-- Serves GET /me/audit. Index: audit_log_user_id_idx (user_id, id DESC).
-- The cursor (and any optional bound) is written col < coalesce($n, <largest value>), not
-- ($n IS NULL OR col < $n): a prepared statement's generic plan can use the former as an index
-- condition; the latter becomes a filter, and a deep page reads every newer row first.
-- $1 user_id uuid, $2 before_id bigint (NULL = first page), $3 limit int
SELECT id, event, host(client_addr) AS client_addr, details, created_at
FROM audit_log
WHERE user_id = $1
    AND id < coalesce($2::bigint, 9223372036854775807)
ORDER BY id DESC
LIMIT $3;
