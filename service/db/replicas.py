"""Read replicas: one small pool per streaming replica per worker, and the routing of stale-tolerant reads.

- ``DATABASE_REPLICA_URLS`` (comma-separated DSNs, zero or more) names the replicas, called
  ``replica-1``, ``replica-2``... in that order.  None: every request uses the primary, and
  nothing here runs.
- Only GET routes marked ``dependencies=READ_REPLICA`` (service/http/deps.py; lists, reports,
  stats: reads that may be slightly stale) may be answered by a replica.  Writes, reads inside
  a write, and every unmarked route use the primary.
- State per replica (recovery, replayed WAL position, lag) is read with one query
  (``sql/platform/replica_state.sql``) at most once per ``REPLICA_STATE_TTL`` (default 0.1 s),
  in the background: requests decide on the cached state and never wait for the refresh.  A
  replica is *up* when reachable, in recovery and lagging at most ``REPLICA_MAX_LAG`` seconds;
  *lagging* (out of rotation until it catches up) or *down* (unreachable: out of rotation until
  a refresh reaches it again) otherwise.
- Read-your-writes: a write request answers ``X-Read-After: <lsn>`` (the primary's
  ``pg_current_wal_insert_lsn()`` after the handler; ``sql/platform/current_wal_insert_lsn.sql``).
  A read that sends it back goes to a replica only when that replica's cached replay position is
  at or past it, else to the primary.  A read without it gets bounded staleness: any *up* replica.
- A replica that fails a request (refused connection, shutdown, a recovery conflict) is marked
  down and the request is run again on the primary (``replica_retry_middleware``): GET handlers
  of marked routes read only, so running them twice is safe.  No failed request.
- ``X-Database-Node: primary|replica-N`` on every response that used a connection says who answered.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
from collections.abc import AsyncGenerator, Iterator
from typing import Any

import asyncpg
from prometheus_client import REGISTRY
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from service.config import Settings
from service.db import platform_repo
from service.db.pool import create_pool
from service.errors import BadRequest

log = logging.getLogger("service.replicas")

READ_AFTER_HEADER = "x-read-after"
NODE_HEADER = "x-database-node"
# ASGI scope keys (set by the ``conn`` dependency, read by the middleware below)
NODE = "service.db_node"
WRITE_LSN = "service.write_lsn"
REPLICA_FAILED = "service.replica_failed"
FORCE_PRIMARY = "service.force_primary"

REPLICA_ERRORS = (asyncpg.PostgresError, asyncpg.InterfaceError, asyncpg.InternalClientError, OSError,
                  asyncio.TimeoutError)
"""What a replica may raise that the primary would not: unreachable, shutting down, a query
cancelled by a recovery conflict.  The request is then run again on the primary."""


def parse_lsn(text: str) -> int:
    """``'16/B374D848'`` -> an int that orders like the WAL; ValueError when malformed."""
    high, sep, low = text.strip().partition("/")
    if not sep or not (1 <= len(high) <= 8 and 1 <= len(low) <= 8):
        raise ValueError(text)
    return (int(high, 16) << 32) | int(low, 16)


def format_lsn(value: int) -> str:
    return f"{value >> 32:X}/{value & 0xFFFFFFFF:X}"


class Replica:
    """One replica's pool and its cached state."""

    def __init__(self, name: str, dsn: str) -> None:
        self.name = name
        self.dsn = dsn
        self.pool: asyncpg.Pool | None = None
        self.state = "down"  # up | lagging | down
        self.replay_lsn = 0
        self.lag_s: float | None = None
        self.checked_at = float("-inf")
        self.served = 0
        self.failures = 0
        self._refresh: asyncio.Task[None] | None = None

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "state": self.state, "lag_s": self.lag_s,
                "replay_lsn": format_lsn(self.replay_lsn) if self.replay_lsn else None}

    def mark_down(self) -> None:
        self.state = "down"
        self.failures += 1
        self.checked_at = time.monotonic()  # try again after one interval, not at once


class ReplicaSet:
    """The replicas of one worker process (one per app)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        urls = [u.strip() for u in (settings.database_replica_urls or "").split(",") if u.strip()]
        self.replicas = [Replica(f"replica-{i}", url) for i, url in enumerate(urls, 1)]
        self.primary_reads = 0
        self._next = 0

    async def close(self) -> None:
        for replica in self.replicas:
            if replica._refresh is not None:
                replica._refresh.cancel()
            if replica.pool is not None:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(replica.pool.close(), timeout=5)

    async def _open(self, replica: Replica) -> asyncpg.Pool:
        if replica.pool is None:
            # min_size 0: a replica that is down at start-up delays nothing; connections open on demand.
            replica.pool = await create_pool(self.settings, replica.dsn, min_size=0)
        return replica.pool

    async def _read_state(self, replica: Replica) -> None:
        try:
            pool = await self._open(replica)
            async with pool.acquire(timeout=self.settings.pool_timeout_s) as conn:
                row = await asyncio.wait_for(platform_repo.replica_state(conn), self.settings.pool_timeout_s)
        except Exception as exc:  # a background task: whatever fails, the replica is out
            if replica.state != "down":
                log.warning("%s down: %s", replica.name, exc.__class__.__name__)
            replica.state, replica.lag_s = "down", None
        else:
            replica.replay_lsn = parse_lsn(row.replay_lsn) if row.replay_lsn else 0
            replica.lag_s = row.lag_s
            healthy = row.in_recovery and row.lag_s <= self.settings.replica_max_lag_s
            new_state = "up" if healthy else "lagging"
            if new_state != replica.state:
                log.warning("%s %s (lag %.3f s)", replica.name, new_state, row.lag_s)
            replica.state = new_state
        finally:
            replica.checked_at = time.monotonic()
            replica._refresh = None

    async def fresh(self, replica: Replica, *, wait: bool = True) -> None:
        """Refresh the replica's cached state when older than REPLICA_STATE_TTL (one refresh in flight).

        ``wait=False`` (the request path): start the refresh and go on with the cached state, so
        that a replica slow to answer (or to refuse) never delays a request.  Deciding on an older
        state is safe: its replay position can only be behind, which sends a token's read to the
        primary, and a replica that went away fails at connect and the read goes to the primary."""
        if time.monotonic() - replica.checked_at < self.settings.replica_state_ttl_s:
            return
        if replica._refresh is None:
            replica._refresh = asyncio.ensure_future(self._read_state(replica))
        if wait:
            await asyncio.shield(replica._refresh)

    async def choose(self, read_after: int | None) -> Replica | None:
        """An up replica that has replayed ``read_after`` (round robin), or None: use the primary."""
        count = len(self.replicas)
        for step in range(count):
            replica = self.replicas[(self._next + step) % count]
            await self.fresh(replica, wait=False)
            if replica.state == "up" and (read_after is None or replica.replay_lsn >= read_after):
                self._next = (self._next + step + 1) % count
                return replica
        return None

    @contextlib.asynccontextmanager
    async def connection(self, replica: Replica) -> AsyncGenerator[asyncpg.Connection, None]:
        pool = await self._open(replica)
        conn = await pool.acquire(timeout=self.settings.pool_timeout_s)
        try:
            yield conn
        except REPLICA_ERRORS:
            with contextlib.suppress(asyncpg.InterfaceError):  # already given back when the server hung up
                conn.terminate()
            raise
        finally:
            # The reads are done: a replica that hangs up now (the release's reset fails) fails nothing.
            with contextlib.suppress(*REPLICA_ERRORS):
                await pool.release(conn)


def read_after(scope: dict[str, Any]) -> int | None:
    """The request's X-Read-After token as a WAL position (None: not sent); 400 when malformed."""
    for name, value in scope["headers"]:
        if name == b"x-read-after":
            try:
                return parse_lsn(value.decode("latin-1"))
            except ValueError:
                raise BadRequest("X-Read-After must be a WAL position as this service sent it (e.g. 16/B374D848)",
                                 field="X-Read-After") from None
    return None


async def replica_or_primary(replicas: ReplicaSet | None, scope: dict[str, Any],
                               primary: AsyncGenerator[asyncpg.Connection, None],
                               ) -> AsyncGenerator[asyncpg.Connection, None]:
    """The ``conn`` of a READ_REPLICA route: a replica's, else the one ``primary`` (the primary's
    provider, not yet started) lends."""
    replica: Replica | None = None
    if replicas is not None and not scope.get(FORCE_PRIMARY):
        replica = await replicas.choose(read_after(scope))
    if replica is not None:
        context = replicas.connection(replica)
        try:
            conn = await context.__aenter__()
        except REPLICA_ERRORS:
            replica.mark_down()
            replica = None
    if replica is None:
        if replicas is not None:
            replicas.primary_reads += 1
        conn = await primary.__anext__()
        try:
            yield conn
        except BaseException as exc:
            with contextlib.suppress(StopAsyncIteration):
                await primary.athrow(exc)
            raise
        else:
            with contextlib.suppress(StopAsyncIteration):
                await primary.__anext__()
        return
    await primary.aclose()
    scope[NODE] = replica.name
    replica.served += 1
    try:
        yield conn
    except REPLICA_ERRORS as exc:
        replica.mark_down()
        scope[REPLICA_FAILED] = True
        await context.__aexit__(type(exc), exc, exc.__traceback__)
        raise
    except BaseException as exc:
        await context.__aexit__(type(exc), exc, exc.__traceback__)
        raise
    else:
        await context.__aexit__(None, None, None)


def replica_retry_middleware(app: Any) -> Any:
    """Adds X-Database-Node and X-Read-After to responses; runs a GET again on the primary when
    its replica failed (the failed answer is never sent)."""

    async def middleware(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        if scope["method"] not in ("GET", "HEAD"):
            await app(scope, receive, _with_headers(scope, send))
            return
        held: list[dict[str, Any]] = []

        async def hold_if_failed(message: dict[str, Any]) -> None:
            if scope.get(REPLICA_FAILED):
                held.append(message)
            else:
                await _with_headers(scope, send)(message)

        await app(scope, receive, hold_if_failed)
        if scope.get(REPLICA_FAILED):
            scope[REPLICA_FAILED] = False
            scope[FORCE_PRIMARY] = True

            async def no_body() -> dict[str, Any]:
                return {"type": "http.request", "body": b"", "more_body": False}

            await app(scope, no_body, _with_headers(scope, send))

    return middleware


def _with_headers(scope: dict[str, Any], send: Any) -> Any:
    async def send_with_headers(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            extra: list[tuple[bytes, bytes]] = []
            node = scope.get(NODE)
            if node:
                extra.append((b"x-database-node", node.encode()))
            lsn = scope.get(WRITE_LSN)
            if lsn:
                extra.append((b"x-read-after", lsn.encode()))
            if extra:
                message = {**message, "headers": [*message.get("headers", []), *extra]}
        await send(message)
    return send_with_headers


# ---------------------------------------------------------------------------
# /metrics

SETS: set[ReplicaSet] = set()
"""Open replica sets of this process (the app's lifespan adds and removes)."""

_STATES = ("up", "lagging", "down")


class ReplicaCollector(Collector):
    def collect(self) -> Iterator[GaugeMetricFamily]:
        pid = str(os.getpid())
        lag = GaugeMetricFamily("service_db_replica_lag_seconds", "Replica's replay lag at its last check",
                                labels=["pid", "replica"])
        state = GaugeMetricFamily("service_db_replica_state", "1 for the replica's current state (up, lagging, down)",
                                  labels=["pid", "replica", "state"])
        served = GaugeMetricFamily("service_db_replica_reads", "Replica-eligible reads answered, by node",
                                   labels=["pid", "node"])
        primary = 0
        for replicas in list(SETS):
            primary += replicas.primary_reads
            for replica in replicas.replicas:
                if replica.lag_s is not None:
                    lag.add_metric([pid, replica.name], replica.lag_s)
                for name in _STATES:
                    state.add_metric([pid, replica.name, name], 1.0 if replica.state == name else 0.0)
                served.add_metric([pid, replica.name], replica.served)
        if SETS:
            served.add_metric([pid, "primary"], primary)
        yield lag
        yield state
        yield served


REPLICA_COLLECTOR = ReplicaCollector()
REGISTRY.register(REPLICA_COLLECTOR)
