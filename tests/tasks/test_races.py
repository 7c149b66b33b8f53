"""Issue #12 write-path review of the tasks domain: two writers of one task, and the account
deleted meanwhile.

Each race is interleaved by hand (tests/race.py): connection B runs one operation inside an
open transaction, A's operation is started and *observed* waiting on B's lock, B commits, A
finishes; directly and through PgBouncer in transaction mode.  The outcome is what the route
answers (a write that found no row: 404, or 412 when it named a version).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import asyncpg
import pytest

from service.db.pool import init_connection
from service.errors import DomainError, from_postgres
from service.tasks import repo
from tests.helpers import delete_and_purge, signup
from tests.race import started_and_blocked


@pytest.fixture(params=["direct", "pgbouncer"])
def race_url(request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue("db_url" if request.param == "direct" else "pgbouncer_url")  # type: ignore[no-any-return]


@asynccontextmanager
async def connections(url: str, n: int) -> AsyncIterator[list[asyncpg.Connection]]:
    conns = [await asyncpg.connect(url, statement_cache_size=0) for _ in range(n)]
    try:
        for c in conns:
            await init_connection(c)
        yield conns
    finally:
        for c in conns:
            await c.close()


@dataclass
class World:
    user: uuid.UUID
    task: int
    version: int


async def _done(awaitable: Awaitable[Any]) -> str:
    await awaitable
    return "ok"


async def _found(awaitable: Awaitable[Any], missing: str = "404") -> str:
    return "ok" if await awaitable is not None else missing


OPS: dict[str, Callable[[asyncpg.Connection, World], Awaitable[str]]] = {
    "delete_account": lambda c, w: _done(delete_and_purge(c, w.user)),
    "insert_task": lambda c, w: _done(repo.insert_task(c, w.user, "late", None)),
    "update_task": lambda c, w: _found(repo.update_task(c, w.user, w.task, True, "edited", False, None, True, True,
                                                       None)),
    "update_task_if_match": lambda c, w: _found(repo.update_task(c, w.user, w.task, False, None, True, "d",
                                                                False, None, [w.version]), "412"),
    "delete_task": lambda c, w: _found(repo.delete_task(c, w.user, w.task, None)),
    "delete_task_if_match": lambda c, w: _found(repo.delete_task(c, w.user, w.task, [w.version]), "412"),
}

# (B first and committed, A observed waiting) -> A's answer.  B always succeeds.
EXPECTED = {
    ("delete_account", "insert_task"): "422",  # foreign key: nothing committed
    ("delete_account", "update_task"): "404",
    ("delete_account", "delete_task"): "404",
    ("insert_task", "delete_account"): "ok",  # the deletion waits, then cascades over the new task
    ("update_task", "delete_account"): "ok",
    ("update_task_if_match", "update_task_if_match"): "412",  # one tag, two writers: one wins
    ("update_task_if_match", "delete_task_if_match"): "412",
    ("update_task", "update_task"): "ok",  # no If-Match: field-wise last writer wins
    ("update_task", "delete_task"): "ok",
    ("delete_task", "update_task"): "404",
    ("delete_task", "delete_task"): "404",
}


async def _outcome(awaitable: Awaitable[str]) -> str:
    try:
        return await awaitable
    except DomainError as refused:
        return f"{refused.status}"
    except asyncpg.PostgresError as error:  # what the app's error handler makes of it
        mapped = from_postgres(error)
        if mapped is None:
            raise  # would be a 500
        return f"{mapped.status}"


@pytest.mark.parametrize(("first", "second"), list(EXPECTED))
async def test_task_writes_racing_each_other_and_account_deletion(client, race_url, conn, first, second):
    """B runs `first` in an open transaction; A's `second` is observed waiting; B commits."""
    account = await signup(client)
    created = (await client.post("/tasks", headers=account.headers, json={"title": "t"})).json()
    w = World(uuid.UUID(account.id), created["id"], created["version"])
    async with connections(race_url, 2) as (a, b):
        tx = b.transaction()
        await tx.start()
        assert await _outcome(OPS[first](b, w)) == "ok"
        waiting = await started_and_blocked(conn, _outcome(OPS[second](a, w)))
        await tx.commit()
        assert (await waiting, first, second) == (EXPECTED[first, second], first, second)
    if "delete_account" in (first, second):
        assert await conn.fetchval("SELECT count(*) FROM tasks WHERE user_id = $1", w.user) == 0
    elif (first, second) == ("update_task", "update_task"):
        # the second writes the values the first committed: a no-op keeps the version (migration 0178)
        assert await conn.fetchval("SELECT version FROM tasks WHERE id = $1", w.task) == w.version + 1
