"""Each worker's set of deleted accounts, whose access tokens are refused at once (issue #13 §3).

Access tokens are checked without a database round trip (service/http/auth.py), so a deleted
account's token would otherwise work until it expires.  Each worker keeps the ids of the accounts
marked deleted and not yet purged: loaded at start-up (``accounts/list_deleted_user_ids``), then
kept fresh by ONE dedicated connection per worker that LISTENs on ``account_deleted`` (the
deleting statement's ``pg_notify``, delivered at its COMMIT).  That connection is not from the
pool and must reach PostgreSQL directly (``DATABASE_LISTEN_URL``, default ``DATABASE_URL``):
LISTEN does not survive a transaction-mode pooler.  When it drops, the worker reconnects with a
back-off and re-loads the whole set (a notification sent while it was away is not lost).

An id stays in the set after its purge (nothing can sign in as it again: the row is gone);
the set is bounded by the deletions since the worker started.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from uuid import UUID

import asyncpg

from service.accounts import repo

log = logging.getLogger("service.accounts.deleted")

CHANNEL = "account_deleted"


class DeletedAccounts:
    def __init__(self, dsn: str) -> None:
        self.dsn = dsn
        self.ids: set[UUID] = set()
        self.loads = 0
        """How many times the set was (re-)loaded: one per (re)connection."""
        self.server_pid: int | None = None
        """The backend of the current LISTEN connection (tests terminate it to exercise the reconnect)."""
        self._task: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()

    def __contains__(self, user_id: object) -> bool:
        return user_id in self.ids

    def add(self, user_id: UUID) -> None:
        """An account this worker has just deleted (committed)."""
        self.ids.add(user_id)

    def _notified(self, _conn: object, _pid: int, _channel: str, payload: str) -> None:
        with contextlib.suppress(ValueError):
            self.ids.add(UUID(payload))

    async def _session(self) -> None:
        """One LISTEN connection until it drops: LISTEN first, then load, so nothing falls between."""
        conn = await asyncpg.connect(self.dsn, statement_cache_size=0)
        lost = asyncio.Event()
        conn.add_termination_listener(lambda _c: lost.set())
        try:
            await conn.add_listener(CHANNEL, self._notified)
            self.server_pid = conn.get_server_pid()
            self.ids.update(await repo.list_deleted_user_ids(conn))
            self.loads += 1
            self._ready.set()
            await lost.wait()
        finally:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(conn.close(), timeout=5)

    async def _run(self) -> None:
        backoff = 0.5
        while True:
            try:
                await self._session()
                backoff = 0.5
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("deleted-accounts LISTEN connection failed; reconnecting in %.1fs", backoff)
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 30.0)

    @property
    def ready(self) -> bool:
        """The set has been loaded once; until then user tokens are answered 503 (fail closed)."""
        return self._ready.is_set()

    async def start(self, within_s: float = 5.0) -> None:
        """Start listening; returns once the set is loaded, or after ``within_s`` with the listener still
        retrying in the background (the service starts with its database down, as it always could;
        user tokens get 503 until the set is loaded, never a pass for a deleted account)."""
        self._task = asyncio.create_task(self._run(), name="deleted-accounts")
        try:
            async with asyncio.timeout(within_s):
                await self._ready.wait()
        except TimeoutError:
            log.warning("deleted-accounts set not loaded within %.0fs; user tokens get 503 until it is", within_s)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
