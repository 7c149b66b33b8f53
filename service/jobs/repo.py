"""One typed function per SQL file under sql/jobs/ (bodies come from @sql)."""

from __future__ import annotations

from service.db.queries import Connection, sql


@sql("jobs/try_lock")
async def try_lock(conn: Connection, job_name: str) -> bool: ...


@sql("jobs/purge_idempotency_keys")
async def purge_idempotency_keys(conn: Connection, batch_size: int) -> int: ...


@sql("jobs/purge_auth_sessions")
async def purge_auth_sessions(conn: Connection, retention_days: int, batch_size: int) -> int: ...


@sql("jobs/purge_rate_limits")
async def purge_rate_limits(conn: Connection, window_seconds: int, batch_size: int) -> int: ...


@sql("jobs/purge_audit_log")
async def purge_audit_log(conn: Connection, batch_size: int, keep_days: int, unknown_keep_days: int) -> int: ...


@sql("jobs/compact_raw_events")
async def compact_raw_events(conn: Connection, retention_days: int, batch_size: int) -> int: ...


@sql("jobs/purge_unmatched_raw_events")
async def purge_unmatched_raw_events(conn: Connection, retention_days: int, batch_size: int) -> int: ...


@sql("jobs/purge_chat_invitations")
async def purge_chat_invitations(conn: Connection, retention_days: int, batch_size: int) -> int: ...


@sql("jobs/purge_deleted_users")
async def purge_deleted_users(conn: Connection, delay_seconds: int, batch_size: int) -> int: ...
