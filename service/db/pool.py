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
    """The pool's reset on release: nothing beyond what asyncpg always does.

    asyncpg's default reset sends ``SELECT pg_advisory_unlock_all(); CLOSE
    ALL; UNLISTEN *; RESET ALL`` on every release: one more round trip per
    request, about as much PostgreSQL work as a primary-key read.  The
    service never uses session state (no SET, advisory locks, LISTEN or
    cursors outside a transaction; ``server_settings`` are fixed at connect),
    and asyncpg still rolls back a transaction left open and drops listeners
    before calling this, so there is nothing to reset.
    """


async def create_pool(settings: Settings, dsn: str) -> asyncpg.Pool:
    return await asyncpg.create_pool(
        dsn,
        min_size=settings.pool_min_size,
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
