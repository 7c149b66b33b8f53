"""Request-scoped dependencies every domain uses: one pooled connection, the caller, settings."""

from __future__ import annotations

import contextlib
import ipaddress
from collections.abc import AsyncGenerator
from typing import Any

import asyncpg
from litestar import Request
from litestar._kwargs.cleanup import DependencyCleanupGroup
from litestar._kwargs.dependencies import resolve_dependency
from litestar._kwargs.kwargs_model import KwargsModel
from litestar.connection import ASGIConnection
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide

from service.config import Settings
from service.db import platform_repo
from service.db.replicas import NODE, WRITE_LSN, replica_or_primary
from service.errors import BROKEN_CONNECTION
from service.http.auth import Caller, provide_caller, provide_speaker
from service.http.etag import IF_MATCH
from service.http.metrics import PoolStats


async def provide_conn(state: State) -> AsyncGenerator[asyncpg.Connection, None]:
    """One connection from the pool for the whole request (released even when the handler fails)."""
    pool: asyncpg.Pool = state.pool
    settings: Settings = state.settings
    PoolStats.waiting += 1
    try:
        # With a connection idle the pool answers at once: skip the timeout's wait_for task (2% of /me's CPU).
        conn = await pool.acquire(timeout=None if pool.get_idle_size() else settings.pool_timeout_s)
    finally:
        PoolStats.waiting -= 1
    try:
        yield conn
    except BROKEN_CONNECTION:
        # A broken connection would only fail the pool's reset on release: drop it here at once.
        conn.terminate()
        raise
    finally:
        await pool.release(conn)


async def provide_primary_conn(state: State, request: Request[Any, Any, Any],
                               ) -> AsyncGenerator[asyncpg.Connection, None]:
    """``conn`` when read replicas are configured (service/db/replicas.py): provide_conn's connection, and
    X-Database-Node: primary; after a write request, its read-your-writes token (X-Read-After)."""
    inner = provide_conn(state)
    conn = await inner.__anext__()
    request.scope[NODE] = "primary"  # type: ignore[literal-required]
    try:
        yield conn
        if request.method not in ("GET", "HEAD"):  # the handler's transactions have committed by now
            request.scope[WRITE_LSN] = await platform_repo.current_wal_insert_lsn(conn)  # type: ignore[literal-required]
    except BaseException as exc:  # the handler's error goes where the connection came from
        with contextlib.suppress(StopAsyncIteration):
            await inner.athrow(exc)
        raise
    else:
        with contextlib.suppress(StopAsyncIteration):
            await inner.__anext__()


async def provide_read_conn(state: State, request: Request[Any, Any, Any]) -> AsyncGenerator[asyncpg.Connection, None]:
    """``conn`` of a route marked READ_REPLICA: a replica's connection when one is fresh enough, else the primary's."""
    replicas = state.get("replicas")
    if replicas is None:
        inner = provide_conn(state)
    else:
        inner = replica_or_primary(replicas, request.scope, provide_primary_conn(state, request))  # type: ignore[arg-type]
    conn = await inner.__anext__()
    try:
        yield conn
    except BaseException as exc:
        with contextlib.suppress(StopAsyncIteration):
            await inner.athrow(exc)
        raise
    else:
        with contextlib.suppress(StopAsyncIteration):
            await inner.__anext__()


async def provide_if_match(request: Request[Any, Any, Any]) -> list[int] | None:
    """The versions the request's If-Match names (parsed by service.http.etag; 400 when malformed),
    or None (no If-Match, or ``*``): the handler's UPDATE/DELETE takes it as its predicate."""
    return request.scope.get(IF_MATCH)  # type: ignore[return-value]


async def provide_settings(state: State) -> Settings:
    return state.settings  # type: ignore[no-any-return]


READ_REPLICA: dict[str, Any] = {"conn": Provide(provide_read_conn)}
"""``dependencies=READ_REPLICA`` on a GET route: a read that may be slightly stale (a list, a report,
stats) and may be answered by a read replica (service/db/replicas.py; X-Read-After honoured)."""
REPLICATED: dict[str, Any] = {"conn": Provide(provide_primary_conn)}
"""The app's ``conn`` instead of provide_conn's when DATABASE_REPLICA_URLS is set (service/app.py)."""

DEPENDENCIES: dict[str, Any] = {
    "conn": Provide(provide_conn),
    "caller": Provide(provide_caller),
    "speaker": Provide(provide_speaker),
    "settings": Provide(provide_settings),
    "if_match": Provide(provide_if_match),
}


async def resolve_dependencies_in_order(self: KwargsModel, connection: ASGIConnection[Any, Any, Any, Any],
                                        kwargs: dict[str, Any]) -> DependencyCleanupGroup:
    """Litestar's ``KwargsModel.resolve_dependencies``, one dependency after the other.

    Litestar resolves independent dependencies of one level concurrently, in
    an anyio task group: with ``conn`` and ``caller`` on every domain route
    that meant a task group and two tasks per request, about 12% of the
    service's CPU on ``GET /me`` (py-spy).  Our dependencies are cheap and
    only ``conn`` waits (for the pool), so running them in order loses
    nothing.  If one fails, those already resolved are cleaned up (the
    connection goes back to the pool) before the error propagates.
    """
    cleanup_group = DependencyCleanupGroup()
    try:
        for batch in self.dependency_batches:
            for dependency in batch:
                await resolve_dependency(dependency, connection, kwargs, cleanup_group)
    except BaseException:
        await cleanup_group.close()
        raise
    return cleanup_group


KwargsModel.resolve_dependencies = resolve_dependencies_in_order  # type: ignore[method-assign]  # litestar==2.25.0
# (private; no public hook in 2.x: tests/platform/test_litestar_internals.py fails when it changes)


# Handler parameter types: the parameter's name picks the dependency above.
Conn = NamedDependency[asyncpg.Connection]
CurrentCaller = NamedDependency[Caller]
Speaker = NamedDependency[Caller]
"""A user or an app (``Caller.app``): only for routes where apps act too (assistant messages)."""
IfMatch = NamedDependency[list[int] | None]
"""If-Match as versions for the UPDATE/DELETE predicate (None: no precondition)."""
AppSettings = NamedDependency[Settings]


def client_addr(request: Request[Any, Any, Any]) -> str | None:
    """The peer's IP address for audit rows, or None when it is not an IP (test clients, unix sockets)."""
    host = request.client.host if request.client else None
    try:
        return str(ipaddress.ip_address(host)) if host else None
    except ValueError:
        return None
