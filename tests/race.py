"""A small race harness: two real connections interleaved at a chosen point, no sleeps.

The pattern of every race test:

1. connection B takes a lock that the statement (or HTTP request) under test needs
   (``SELECT ... FOR UPDATE``, an UPDATE in an open transaction, ``LOCK TABLE``);
2. A's statement or request is started as a task;
3. ``wait_for_waiters`` polls ``pg_stat_activity`` until A's backend is *observed*
   waiting on a lock (so the interleaving is the one we chose, not one we hoped for);
4. B does its conflicting change and commits (or rolls back), which releases A;
5. the test asserts the outcome of both and the invariant in the database.

Polling ``pg_stat_activity`` is an observation with a generous deadline, not a sleep
that hopes two things overlap: a test that never reaches the chosen point fails loudly.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import asyncpg

T = TypeVar("T")

DEADLINE_S = 30.0

_WAITERS = """
SELECT pid
FROM pg_stat_activity
WHERE datname = current_database()
  AND pid <> pg_backend_pid()
  AND pid <> ALL($1::int[])
  AND wait_event_type = 'Lock'
"""


async def wait_for_waiters(observer: asyncpg.Connection, count: int = 1, *, exclude: tuple[int, ...] = (),
                           deadline_s: float = DEADLINE_S) -> list[int]:
    """Until ``count`` backends of this database (other than ``exclude``) wait on a lock; their pids.

    Raises TimeoutError when the chosen interleaving point is never reached.
    """
    loop = asyncio.get_running_loop()
    give_up = loop.time() + deadline_s
    while True:
        pids = [r["pid"] for r in await observer.fetch(_WAITERS, list(exclude))]
        if len(pids) >= count:
            return pids
        if loop.time() > give_up:
            raise TimeoutError(f"expected {count} backend(s) waiting on a lock, saw {len(pids)}")
        await asyncio.sleep(0.005)


async def started_and_blocked(observer: asyncpg.Connection, awaitable: Awaitable[T], *, count: int = 1,
                              exclude: tuple[int, ...] = ()) -> asyncio.Task[T]:
    """Start ``awaitable`` as a task and return it once it is observed blocked on a lock.

    If the task finishes before blocking (it did not need the lock after all), its
    result is surfaced as an AssertionError: the test's chosen interleaving did not happen.
    """
    task: asyncio.Task[T] = asyncio.ensure_future(awaitable)
    waiter = asyncio.ensure_future(wait_for_waiters(observer, count, exclude=exclude))
    done, _ = await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
    if task in done and waiter not in done:
        waiter.cancel()
        raise AssertionError(f"the statement under test did not block; it finished with {task.result()!r}")
    await waiter
    return task


@asynccontextmanager
async def holding(conn: asyncpg.Connection, *statements: tuple[str, tuple[Any, ...]] | str):
    """Open a transaction on ``conn``, run ``statements`` (which take the locks) and yield; roll back
    on exit unless the body committed with ``await conn.execute("COMMIT")`` itself."""
    await conn.execute("BEGIN")
    try:
        for statement in statements:
            if isinstance(statement, str):
                await conn.execute(statement)
            else:
                await conn.execute(statement[0], *statement[1])
        yield conn
    finally:
        if conn.is_in_transaction():
            await conn.execute("ROLLBACK")
