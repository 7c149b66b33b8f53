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


async def create_pool(settings: Settings, dsn: str, *, min_size: int | None = None) -> asyncpg.Pool:
    return await asyncpg.create_pool(
        dsn,
        min_size=settings.pool_min_size if min_size is None else min_size,
        max_size=settings.pool_max_size,
        init=init_connection,
        # asyncpg's default reset on release (``SELECT pg_advisory_unlock_all(); CLOSE ALL;
        # UNLISTEN *; RESET ALL``): one more round trip per request, kept on purpose so that
        # no session state (a lock, a SET, a cursor) can outlive the request that made it,
        # whatever a later change does.  The connect-time server_settings are the session's
        # defaults, so RESET ALL keeps them.
        timeout=settings.pool_timeout_s,
        command_timeout=settings.statement_timeout_ms / 1000 + 5,
        statement_cache_size=settings.statement_cache_size,
        server_settings={
            "application_name": "service",
            "statement_timeout": str(settings.statement_timeout_ms),
            "timezone": "UTC",
        },
    )
