"""Issue #12 write-path review of the linked_accounts domain: one Knot item linked twice at once,
unlinks racing each other, and the account deleted meanwhile.

Each race is interleaved by hand (tests/race.py): connection B runs one operation inside an
open transaction, A's operation is started and *observed* waiting on B's lock, B commits, A
finishes; directly and through PgBouncer in transaction mode.  The outcome is what the route
answers.
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
from service.linked_accounts import repo
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
    other_user: uuid.UUID
    linked: uuid.UUID
    item: str  # a Knot item id nobody has linked yet


async def _done(awaitable: Awaitable[Any]) -> str:
    await awaitable
    return "ok"


async def _found(awaitable: Awaitable[Any]) -> str:
    return "ok" if await awaitable is not None else "404"


OPS: dict[str, Callable[[asyncpg.Connection, World], Awaitable[str]]] = {
    "delete_account": lambda c, w: _done(delete_and_purge(c, w.user)),
    "link": lambda c, w: _done(repo.insert_linked_account(c, w.user, "Bank", "Checking", [], w.item)),
    "link_same_item_other_user": lambda c, w: _done(
        repo.insert_linked_account(c, w.other_user, "Bank", "Checking", [], w.item)),
    "unlink": lambda c, w: _found(repo.delete_linked_account(c, w.user, w.linked, None)),
}

# (B first and committed, A observed waiting) -> A's answer.  B always succeeds.
EXPECTED = {
    ("link", "link_same_item_other_user"): "409",  # linked_accounts_knot_item_id_key, after the wait
    ("link", "link"): "409",
    ("unlink", "unlink"): "404",
    ("delete_account", "link"): "422",  # foreign key: nothing committed
    ("delete_account", "unlink"): "404",
    ("link", "delete_account"): "ok",  # the deletion waits, then cascades over the new link
    ("unlink", "delete_account"): "ok",
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
async def test_links_racing_each_other_and_account_deletion(client, race_url, conn, first, second):
    """B runs `first` in an open transaction; A's `second` is observed waiting; B commits."""
    account, other = await signup(client), await signup(client)
    linked = await client.post("/linked-accounts", headers=account.headers,
                               json={"institution": "Bank", "account_name": "Savings",
                                     "knot_item_id": f"item-{uuid.uuid4()}"})
    assert linked.status_code == 201, linked.text
    w = World(uuid.UUID(account.id), uuid.UUID(other.id), uuid.UUID(linked.json()["id"]), f"item-{uuid.uuid4()}")
    async with connections(race_url, 2) as (a, b):
        tx = b.transaction()
        await tx.start()
        assert await _outcome(OPS[first](b, w)) == "ok"
        waiting = await started_and_blocked(conn, _outcome(OPS[second](a, w)))
        await tx.commit()
        assert (await waiting, first, second) == (EXPECTED[first, second], first, second)
    assert await conn.fetchval("SELECT count(*) FROM linked_accounts WHERE knot_item_id = $1", w.item) <= 1
    if "delete_account" in (first, second):
        assert await conn.fetchval("SELECT count(*) FROM linked_accounts WHERE user_id = $1", w.user) == 0
