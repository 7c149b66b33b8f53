"""Issue #12 write-path review of the expenses domain: writes racing the deletion of their parent.

Each race is interleaved by hand (tests/race.py): connection B runs one operation inside an
open transaction, A's operation is started and *observed* waiting on B's lock, B commits, A
finishes.  The outcome is what the route would answer (the database error mapped by the app's
handler); none may be a 500, and the foreign keys keep every expense and budget in a category
of its own user whatever the order.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import asyncpg
import pytest

from service.db.pool import init_connection
from service.errors import DomainError, from_postgres
from service.expenses import repo
from service.http.names import name_key
from tests.helpers import delete_and_purge, signup
from tests.race import started_and_blocked


@pytest.fixture(params=["direct", "pgbouncer"])
def race_url(request: pytest.FixtureRequest) -> str:
    """The racing connections' database: straight to PostgreSQL, then through PgBouncer in
    transaction mode (skipped where PgBouncer is not installed, failed under CI=true)."""
    return request.getfixturevalue("db_url" if request.param == "direct" else "pgbouncer_url")  # type: ignore[no-any-return]


@asynccontextmanager
async def connections(url: str, n: int) -> AsyncIterator[list[asyncpg.Connection]]:
    """``n`` connections as the app makes them (no statement cache: PgBouncer's rule)."""
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
    category: uuid.UUID  # the contested category, unused at the start
    other: uuid.UUID  # another category of the user, holding one expense and one budget
    expense: uuid.UUID
    budget: uuid.UUID


async def _world(client: Any, conn: asyncpg.Connection) -> World:
    account = await signup(client)
    user = uuid.UUID(account.id)
    contested, other_name = f"Contested {uuid.uuid4().hex[:8]}", f"Other {uuid.uuid4().hex[:8]}"
    category = (await repo.insert_category(conn, user, contested, None, None, None, name_key(contested))).id
    other = (await repo.insert_category(conn, user, other_name, None, None, None, name_key(other_name))).id
    expense = (await repo.insert_expense(conn, user, other, Decimal("5.00"), date(2026, 3, 1), None, None, [],
                                         None, None)).id
    budget = (await repo.insert_budget(conn, user, other, Decimal("50.00"), "monthly", date(2026, 3, 1), None)).id
    return World(user, category, other, expense, budget)


async def _found(awaitable: Awaitable[Any]) -> str:
    """A write that found no row: the route's 404 (no If-Match given)."""
    return "ok" if await awaitable is not None else "404"


async def _delete_category(c: asyncpg.Connection, w: World) -> str:
    """What DELETE /categories/{id} answers for this result (routes/categories.py)."""
    result = await repo.delete_category(c, w.user, w.category, None)
    if result.deleted:
        return "ok"
    if not result.found or result.expense_count == 0:
        return "404"
    return "409"


async def _import(c: asyncpg.Connection, w: World) -> str:
    rows = [{"row_index": i, "category_id": str(w.category), "amount": "1.50", "spent_on": "2026-03-02"}
            for i in range(3)]
    result = await repo.import_expenses(c, w.user, rows)
    return "ok" if result.bad_row is None else "422"


def _move_expense(c: asyncpg.Connection, w: World) -> Awaitable[str]:
    return _found(repo.update_expense(c, w.user, w.expense, True, w.category, *(False, None) * 7, None))


def _move_budget(c: asyncpg.Connection, w: World) -> Awaitable[str]:
    return _found(repo.update_budget(c, w.user, w.budget, True, w.category, *(False, None) * 4, None))


OPS: dict[str, Callable[[asyncpg.Connection, World], Awaitable[Any]]] = {
    "delete_category": _delete_category,
    "insert_expense": lambda c, w: repo.insert_expense(c, w.user, w.category, Decimal("9.99"), date(2026, 3, 2),
                                                       None, None, [], None, None),
    "import_expenses": _import,
    "insert_budget": lambda c, w: repo.insert_budget(c, w.user, w.category, Decimal("10.00"), "weekly",
                                                     date(2026, 3, 2), None),
    "move_expense": _move_expense,
    "move_budget": _move_budget,
    "delete_account": lambda c, w: delete_and_purge(c, w.user),
    "insert_category_dup": lambda c, w: repo.insert_category(c, w.user, "Dup", None, None, None, name_key("Dup")),
    "rename_other_to_dup": lambda c, w: repo.update_category(c, w.user, w.other, True, "dup", *(False, None) * 3,
                                                             None, name_key("dup")),
    "update_category": lambda c, w: _found(repo.update_category(c, w.user, w.category, *(False, None), True,
                                                                "renamed", *(False, None) * 2, None, None)),
    "delete_expense": lambda c, w: _found(repo.delete_expense(c, w.user, w.expense, None)),
    "delete_budget": lambda c, w: _found(repo.delete_budget(c, w.user, w.budget, None)),
    "update_budget": lambda c, w: _found(repo.update_budget(c, w.user, w.budget, *(False, None), True,
                                                            Decimal("60.00"), *(False, None) * 3, None)),
    "budget_starts_later": lambda c, w: repo.update_budget(c, w.user, w.budget, *(False, None) * 3,
                                                           True, date(2026, 6, 1), *(False, None), None),
    "budget_ends_earlier": lambda c, w: repo.update_budget(c, w.user, w.budget, *(False, None) * 4,
                                                           True, date(2026, 4, 30), None),
}

# (B first and committed, A observed waiting) -> A's answer.  B always succeeds.
EXPECTED = {
    # the category is deleted first: every write into it is a 422 (foreign key), nothing committed
    ("delete_category", "insert_expense"): "422",
    ("delete_category", "import_expenses"): "422",
    ("delete_category", "insert_budget"): "422",
    ("delete_category", "move_expense"): "422",
    ("delete_category", "move_budget"): "422",
    # a write into the category committed first: the deletion refuses while an expense uses it
    # (ON DELETE RESTRICT, checked after the wait: 409), and takes a budget with it (cascade)
    ("insert_expense", "delete_category"): "409",
    ("import_expenses", "delete_category"): "409",
    ("move_expense", "delete_category"): "409",
    ("insert_budget", "delete_category"): "ok",
    ("move_budget", "delete_category"): "ok",
    # the account deleted first: its category went with it
    ("delete_account", "insert_expense"): "422",
    ("delete_account", "import_expenses"): "422",
    ("delete_account", "delete_category"): "404",
    # a write committed first: the account deletion waits for it, then cascades over it
    ("insert_expense", "delete_account"): "ok",
    ("import_expenses", "delete_account"): "ok",
    ("delete_category", "delete_account"): "ok",
    # the same row twice, or one name twice: the second re-reads the committed row
    ("insert_category_dup", "insert_category_dup"): "409",  # categories_user_id_name_key_key
    ("insert_category_dup", "rename_other_to_dup"): "409",
    ("delete_category", "delete_category"): "404",
    ("delete_category", "update_category"): "404",
    ("update_category", "delete_category"): "ok",
    ("delete_expense", "delete_expense"): "404",
    ("delete_expense", "move_expense"): "404",
    ("delete_budget", "delete_budget"): "404",
    ("delete_budget", "update_budget"): "404",
    ("update_budget", "delete_budget"): "ok",
    # two partial PATCHes that each pass the CHECK alone but not together: the second is a 422
    ("budget_starts_later", "budget_ends_earlier"): "422",  # budgets_end_date_chk
}


async def _outcome(awaitable: Awaitable[Any]) -> str:
    try:
        result = await awaitable
    except DomainError as refused:
        return f"{refused.status}"
    except asyncpg.PostgresError as error:  # what the app's error handler makes of it
        mapped = from_postgres(error)
        if mapped is None:
            raise  # would be a 500
        return f"{mapped.status}"
    return result if isinstance(result, str) else "ok"


INTEGRITY = """
SELECT
    (SELECT count(*) FROM expenses AS e
     WHERE NOT EXISTS (SELECT 1 FROM categories AS c WHERE c.id = e.category_id AND c.user_id = e.user_id))
  + (SELECT count(*) FROM budgets AS b WHERE b.category_id IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM categories AS c WHERE c.id = b.category_id AND c.user_id = b.user_id))
"""


@pytest.mark.parametrize(("first", "second"), list(EXPECTED))
async def test_writes_racing_the_deletion_of_their_category_or_account(client, race_url, conn, first, second):
    """B runs `first` in an open transaction; A's `second` is observed waiting; B commits."""
    w = await _world(client, conn)
    async with connections(race_url, 2) as (a, b):
        tx = b.transaction()
        await tx.start()
        assert await _outcome(OPS[first](b, w)) == "ok"
        waiting = await started_and_blocked(conn, _outcome(OPS[second](a, w)))
        await tx.commit()
        assert (await waiting, first, second) == (EXPECTED[first, second], first, second)
    assert await conn.fetchval(INTEGRITY) == 0


async def test_default_categories_created_twice_at_once_are_created_once(client, race_url, conn):
    """Two registrations' default rows for one user at once (or a seed racing a signup): the
    second waits on the unique index (user_id, lower(name)) and inserts nothing."""
    w = await _world(client, conn)
    await conn.execute("DELETE FROM categories WHERE user_id = $1 AND is_default", w.user)
    async with connections(race_url, 2) as (a, b):
        tx = b.transaction()
        await tx.start()
        assert await repo.create_default_categories(b, w.user) == 6
        second = await started_and_blocked(conn, repo.create_default_categories(a, w.user))
        await tx.commit()
        assert await second == 0
    assert await conn.fetchval("SELECT count(*) FROM categories WHERE user_id = $1 AND is_default", w.user) == 6


async def test_two_edits_of_one_expense_with_one_etag_one_wins(client, race_url, conn):
    """Two PATCHes with the same If-Match version: the second waits for the first's row lock,
    re-reads the row, finds the version moved and changes nothing (the route's 412)."""
    w = await _world(client, conn)
    version = await conn.fetchval("SELECT version FROM expenses WHERE id = $1", w.expense)
    async with connections(race_url, 2) as (a, b):
        tx = b.transaction()
        await tx.start()
        first = await repo.update_expense(b, w.user, w.expense, *(False, None), True, Decimal("7.00"),
                                          *(False, None) * 6, [version])
        assert first is not None
        second = await started_and_blocked(conn, repo.update_expense(
            a, w.user, w.expense, *(False, None) * 3, True, "late", *(False, None) * 4, [version]))
        await tx.commit()
        assert await second is None
    row = await conn.fetchrow("SELECT amount, description FROM expenses WHERE id = $1", w.expense)
    assert (row["amount"], row["description"]) == (Decimal("7.00"), None)


async def test_two_unconditional_edits_of_different_fields_both_stay(client, race_url, conn):
    """Without If-Match, two PATCHes of different fields at once: the second re-evaluates its
    CASE on the committed row, so neither field is lost."""
    w = await _world(client, conn)
    async with connections(race_url, 2) as (a, b):
        tx = b.transaction()
        await tx.start()
        await repo.update_expense(b, w.user, w.expense, *(False, None), True, Decimal("7.00"),
                                  *(False, None) * 6, None)
        second = await started_and_blocked(conn, repo.update_expense(
            a, w.user, w.expense, *(False, None) * 3, True, "late", *(False, None) * 4, None))
        await tx.commit()
        assert await second is not None
    row = await conn.fetchrow("SELECT amount, description, version FROM expenses WHERE id = $1", w.expense)
    assert (row["amount"], row["description"], row["version"]) == (Decimal("7.00"), "late", 2)
