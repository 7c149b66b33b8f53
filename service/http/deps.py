"""Request-scoped dependencies every domain uses: one pooled connection, the caller, settings."""

from __future__ import annotations

import ipaddress
from collections.abc import AsyncGenerator
from typing import Any

import asyncpg
from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide

from service.config import Settings
from service.http.auth import Caller, provide_caller


async def provide_conn(state: State) -> AsyncGenerator[asyncpg.Connection, None]:
    """One connection from the pool for the whole request (released even when the handler fails)."""
    pool: asyncpg.Pool = state.pool
    settings: Settings = state.settings
    async with pool.acquire(timeout=settings.pool_timeout_s) as conn:
        yield conn


async def provide_settings(state: State) -> Settings:
    return state.settings  # type: ignore[no-any-return]


DEPENDENCIES: dict[str, Any] = {
    "conn": Provide(provide_conn),
    "caller": Provide(provide_caller),
    "settings": Provide(provide_settings),
}


# Handler parameter types: the parameter's name picks the dependency above.
Conn = NamedDependency[asyncpg.Connection]
CurrentCaller = NamedDependency[Caller]
AppSettings = NamedDependency[Settings]


def client_addr(request: Request[Any, Any, Any]) -> str | None:
    """The peer's IP address for audit rows, or None when it is not an IP (test clients, unix sockets)."""
    host = request.client.host if request.client else None
    try:
        return str(ipaddress.ip_address(host)) if host else None
    except ValueError:
        return None
