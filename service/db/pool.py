"""The asyncpg pool: one per worker process, with msgspec codecs for jsonb."""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec

from service.config import Settings

_encode = msgspec.json.Encoder().encode
_decode = msgspec.json.Decoder().decode


def _encode_jsonb(value: Any) -> str:
    return _encode(value).decode()


async def init_connection(conn: asyncpg.Connection) -> None:
    """jsonb in and out through msgspec: Python objects on both sides, never JSON strings."""
    await conn.set_type_codec("jsonb", encoder=_encode_jsonb, decoder=_decode, schema="pg_catalog")


async def keep_session(conn: asyncpg.Connection) -> None:
    """The pool's reset on release: only what asyncpg always does before calling this.

    asyncpg's default reset sends ``SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *;
    RESET ALL`` on every release: one more round trip per request and about as much PostgreSQL
    work as the request's own primary-key read (measured A/B: README, "Performance log").  It
    would clean up session state, and the service creates none on a pooled connection: no
    session advisory lock (only ``pg_try_advisory_xact_lock``), no plain ``SET`` (``SET LOCAL`` /
    ``set_config(..., true)`` inside transactions), no ``LISTEN`` (a listener must have
    a connection of its own), no cursor ``WITH HOLD``, no temporary table; the connect-time
    ``server_settings`` are fixed.  ``tests/platform/test_session_state.py`` scans every SQL
    file and every ``execute`` in the code for those and fails the build when one appears, so
    the reasoning cannot rot silently.  asyncpg still rolls back a transaction left open and
    drops listener callbacks before calling this (``Connection._reset``), and behind PgBouncer
    in transaction mode session state would not survive the transaction anyway.
    """


async def create_pool(settings: Settings, dsn: str, *, min_size: int | None = None) -> asyncpg.Pool:
    return await asyncpg.create_pool(
        dsn,
        min_size=settings.pool_min_size if min_size is None else min_size,
        max_size=settings.pool_max_size,
        init=init_connection,
        reset=keep_session,
        timeout=settings.pool_timeout_s,
        command_timeout=settings.statement_timeout_ms / 1000 + 5,
        statement_cache_size=settings.statement_cache_size,
        server_settings={
            "application_name": "service",
            "statement_timeout": str(settings.statement_timeout_ms),
            "timezone": "UTC",
        },
    )
