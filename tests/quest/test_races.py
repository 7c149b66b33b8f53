"""Issue #12 write-path review of the quest domain: event processing against deletion and itself.

Races are interleaved by hand (tests/race.py): one connection holds a transaction open at a
chosen point, the other's operation is *observed* waiting on a lock (or observed not to wait),
then the first commits.  No sleeps.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import asyncpg
import pytest

from service.config import load_settings
from service.db.pool import init_connection
from service.errors import DomainError, from_postgres
from service.quest import logic, repo
from service.quest.crypto import cipher_for
from service.quest.models import IntegrationCreate
from tests.helpers import delete_and_purge, signup
from tests.quest.support import connect, create_pet, push_payload
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


async def _pending_raw_event(client, conn, commits: int = 2) -> tuple[uuid.UUID, int]:
    """An account with a pet and a GitHub integration, and one stored, unprocessed push of it."""
    account = await signup(client)
    github = await connect(client, account)
    await create_pet(client, account)
    sender = github["external_account_id"]
    stored = await repo.insert_raw_event(conn, "github", f"delivery-{uuid.uuid4()}", "push", sender,
                                         push_payload(sender, commits))
    assert stored is not None and stored.status == "pending"
    return uuid.UUID(account.id), stored.id


async def test_account_deletion_after_the_claim_waits_and_does_not_deadlock(client, race_url, conn):
    """Processing has claimed a raw event; the account is deleted before the event row is written.

    Was: the claim locked only the raw row, the deletion locked the user row and waited for the
    raw row (cascade), then processing's foreign-key check waited for the user row: a deadlock,
    one of the two aborted (503).  Now the claim also takes the user row's KEY SHARE lock, so
    the deletion waits at the user row for processing to commit, and then deletes it all.
    """
    user_id, raw_id = await _pending_raw_event(client, conn)
    async with connections(race_url, 2) as (a, b):
        processing = a.transaction()
        await processing.start()
        assert await repo.claim_raw_event(a, raw_id) is not None
        deletion = await started_and_blocked(conn, delete_and_purge(b, user_id))
        assert await logic.process_raw_event(a, raw_id) is True  # same transaction (a savepoint)
        await processing.commit()
        await deletion
    assert await conn.fetchval("SELECT count(*) FROM users WHERE id = $1", user_id) == 0
    assert await conn.fetchval("SELECT count(*) FROM events_raw WHERE user_id = $1", user_id) == 0
    assert await conn.fetchval("SELECT count(*) FROM metrics_cache WHERE user_id = $1", user_id) == 0


async def test_processing_while_the_account_is_being_purged_waits_then_skips_or_applies(client, race_url, conn):
    """Since #13 §3 an account goes in two steps: DELETE /me marks it, the account_purge job deletes the
    row later.  Processing that meets the purge's open transaction (run here with DELETE /me in one
    transaction, `delete_and_purge`) waits for it (observed lock wait; no deadlock), then finds the
    event gone when the purge commits, or applies it when the purge rolls back."""
    user_id, raw_id = await _pending_raw_event(client, conn)
    async with connections(race_url, 2) as (a, b):
        deletion = b.transaction()
        await deletion.start()
        await delete_and_purge(b, user_id)
        waiting = await started_and_blocked(conn, logic.process_raw_event(a, raw_id))
        await deletion.rollback()
        assert await waiting is True  # the purge rolled back: the event was applied
        assert await conn.fetchval("SELECT status FROM events_raw WHERE id = $1", raw_id) == "processed"
    user_id, raw_id = await _pending_raw_event(client, conn)
    async with connections(race_url, 2) as (a, b):
        deletion = b.transaction()
        await deletion.start()
        await delete_and_purge(b, user_id)
        waiting = await started_and_blocked(conn, logic.process_raw_event(a, raw_id))
        await deletion.commit()
        assert await waiting is False  # the purge committed: nothing left to apply
    assert await conn.fetchval("SELECT count(*) FROM events_raw WHERE id = $1", raw_id) == 0


async def test_two_workers_apply_one_event_once(client, race_url, conn):
    """Two workers (a webhook and `events process`) process one raw event at once: the second
    skips the locked row and, after the first commits, finds it processed; one event, one
    application to the pets, one count in metrics_cache."""
    user_id, raw_id = await _pending_raw_event(client, conn, commits=3)
    async with connections(race_url, 2) as (a, b):
        first = a.transaction()
        await first.start()
        assert await logic.process_raw_event(a, raw_id) is True
        assert await logic.process_raw_event(b, raw_id) is False  # SKIP LOCKED: no wait
        await first.commit()
        assert await logic.process_raw_event(b, raw_id) is False  # processed
    assert await conn.fetchval("SELECT count(*) FROM events WHERE user_id = $1", user_id) == 1
    assert await conn.fetchval("SELECT xp FROM pets WHERE user_id = $1", user_id) == 30
    assert await conn.fetchval("SELECT total FROM metrics_cache WHERE user_id = $1", user_id) == 3


async def test_a_redelivery_racing_the_first_delivery_is_stored_once(client, race_url, conn):
    """Two deliveries of one provider event id at once: the second waits on the unique index,
    then inserts nothing (a duplicate), whichever way the first ends."""
    account = await signup(client)
    github = await connect(client, account)
    sender = github["external_account_id"]
    payload = push_payload(sender, 1)
    async with connections(race_url, 2) as (a, b):
        await a.execute("BEGIN")
        first = await repo.insert_raw_event(a, "github", "same-delivery", "push", sender, payload)
        assert first is not None
        second = await started_and_blocked(
            conn, repo.insert_raw_event(b, "github", "same-delivery", "push", sender, payload))
        await a.execute("COMMIT")
        assert await second is None
    assert await conn.fetchval("SELECT count(*) FROM events_raw WHERE provider_event_id = 'same-delivery'") == 1


async def test_concurrent_adds_to_one_daily_total_lose_nothing(client, race_url, conn):
    """Two transactions add to one (user, day, kind) of metrics_cache: the second waits on the
    first's row (or on its insertion), then adds to the committed total: no lost count."""
    account = await signup(client)
    user_id = uuid.UUID(account.id)
    when = datetime(2026, 1, 5, 12, tzinfo=UTC)
    async with connections(race_url, 2) as (a, b):
        for first_value, second_value in ((5, 7), (11, 13)):  # the insert race, then the update race
            await a.execute("BEGIN")
            await repo.add_daily_metric(a, user_id, "steps", when, first_value)
            second = await started_and_blocked(conn, repo.add_daily_metric(b, user_id, "steps", when, second_value))
            await a.execute("COMMIT")
            await second
    row = await conn.fetchrow("SELECT total, event_count FROM metrics_cache WHERE user_id = $1", user_id)
    assert (row["total"], row["event_count"]) == (5 + 7 + 11 + 13, 4)


async def test_pet_deleted_while_an_event_is_applied(client, race_url, conn):
    """A pet deleted meanwhile: the event's UPDATE waits for the deletion, then skips the gone
    row; the other pets still get the event, nothing fails."""
    user_id, raw_id = await _pending_raw_event(client, conn)
    pets = await conn.fetch("SELECT id FROM pets WHERE user_id = $1", user_id)
    await conn.execute("INSERT INTO pets (user_id, name) VALUES ($1, 'Second')", user_id)
    doomed = pets[0]["id"]
    async with connections(race_url, 2) as (a, b):
        await b.execute("BEGIN")
        assert await repo.delete_pet(b, user_id, doomed, None) == doomed
        processing = await started_and_blocked(conn, logic.process_raw_event(a, raw_id))
        await b.execute("COMMIT")
        assert await processing is True
    assert await conn.fetchval("SELECT count(*) FROM pets WHERE user_id = $1", user_id) == 1
    assert await conn.fetchval("SELECT xp FROM pets WHERE user_id = $1", user_id) == 20


async def test_an_event_applied_while_the_pet_is_patched_loses_neither(client, race_url, conn):
    """PATCH /pets/{id} (energy, no If-Match) waits for the event's UPDATE of the same pet, then
    re-evaluates on the committed row: the event's xp stays and the patch's energy wins; a PATCH
    with the tag read just before the event finds the version moved (the route's 412)."""
    user_id, raw_id = await _pending_raw_event(client, conn)
    sender = await conn.fetchval("SELECT external_account_id FROM integrations WHERE user_id = $1", user_id)
    pet_id = await conn.fetchval("SELECT id FROM pets WHERE user_id = $1", user_id)
    async with connections(race_url, 2) as (a, b):
        for conditional, expected in ((False, "patched"), (True, "stale")):
            if conditional:  # a second event for the second round
                stored = await repo.insert_raw_event(conn, "github", f"d-{uuid.uuid4()}", "push", sender,
                                                     push_payload(sender, 2))
                assert stored is not None
                raw_id = stored.id
            tag = [await conn.fetchval("SELECT version FROM pets WHERE id = $1", pet_id)] if conditional else None
            processing = a.transaction()
            await processing.start()
            assert await logic.process_raw_event(a, raw_id) is True
            patch = await started_and_blocked(conn, repo.update_pet(
                b, user_id, pet_id, False, None, False, None, True, 50, False, None, False, None, tag))
            await processing.commit()
            assert ("patched" if await patch is not None else "stale") == expected
    row = await conn.fetchrow("SELECT xp, energy FROM pets WHERE id = $1", pet_id)
    assert row["xp"] == 40  # two events of two commits, neither lost
    assert row["energy"] < 50  # the second event tired the pet after the first round's patch


def _connect(c: asyncpg.Connection, w: _Quest) -> Awaitable[Any]:
    data = IntegrationCreate(provider="fitbit", external_account_id=f"fb-{w.user}", access_token="tok-1234567890")
    return logic.connect_integration(c, cipher_for(load_settings(environ={})), w.user, data, None)


def _reconnect(c: asyncpg.Connection, w: _Quest) -> Awaitable[Any]:
    data = IntegrationCreate(provider="github", external_account_id=w.sender, access_token="tok-0987654321")
    return logic.connect_integration(c, cipher_for(load_settings(environ={})), w.user, data, None)


async def _webhook(c: asyncpg.Connection, w: _Quest) -> str:
    stored = await repo.insert_raw_event(c, "github", f"d-{uuid.uuid4()}", "push", w.sender,
                                         push_payload(w.sender, 1))
    assert stored is not None
    return "ok" if stored.status == "pending" else stored.status


async def _done(awaitable: Awaitable[None]) -> str:
    await awaitable
    return "ok"


QUEST_OPS: dict[str, Callable[[asyncpg.Connection, Any], Awaitable[Any]]] = {
    "delete_account": lambda c, w: _done(delete_and_purge(c, w.user)),
    "insert_pet": lambda c, w: repo.insert_pet(c, w.user, "Late", "machi", 100, 0, {}),
    "insert_goal": lambda c, w: repo.insert_goal(c, w.user, "walk", "steps", 1000, "daily", None, None),
    "connect_integration": _connect,
    "reconnect_github": _reconnect,
    "revoke_integration": lambda c, w: logic.revoke_integration(c, w.user, w.integration, None),
    "webhook_delivery": _webhook,
    "update_pet": lambda c, w: repo.update_pet(c, w.user, w.pet, True, "Renamed", *(False, None) * 4, None),
    "delete_pet": lambda c, w: repo.delete_pet(c, w.user, w.pet, None),
    "update_goal": lambda c, w: repo.update_goal(c, w.user, w.goal, True, "run", *(False, None) * 5, None),
    "update_goal_if_match": lambda c, w: _stale_if_none(repo.update_goal(
        c, w.user, w.goal, *(False, None), True, 5000, *(False, None) * 4, [0])),
    "delete_goal": lambda c, w: repo.delete_goal(c, w.user, w.goal, None),
}

# (B first and committed, A observed waiting) -> A's answer.  B always succeeds.
QUEST_EXPECTED = {
    # the account deleted first: a write for it fails its foreign key (422), nothing committed;
    # a delivery read the integration in its snapshot and fails the same way (the provider
    # gets a 422 for an account that no longer exists; nothing is stored)
    ("delete_account", "insert_pet"): "422",
    ("delete_account", "insert_goal"): "422",
    ("delete_account", "connect_integration"): "422",
    ("delete_account", "webhook_delivery"): "422",
    ("delete_account", "revoke_integration"): "404",
    ("delete_account", "update_pet"): "404",
    ("delete_account", "delete_pet"): "404",
    # a write committed first: the deletion waits for it, then cascades over it
    ("insert_pet", "delete_account"): "ok",
    ("insert_goal", "delete_account"): "ok",
    ("connect_integration", "delete_account"): "ok",
    ("webhook_delivery", "delete_account"): "ok",
    ("revoke_integration", "delete_account"): "ok",
    ("update_pet", "delete_account"): "ok",
    # the same row twice: the second re-reads it
    ("revoke_integration", "revoke_integration"): "404",
    ("connect_integration", "connect_integration"): "409",
    ("revoke_integration", "reconnect_github"): "ok",  # waits on the partial unique index, then free
    ("delete_pet", "update_pet"): "404",
    ("update_pet", "delete_pet"): "ok",
    ("delete_goal", "update_goal"): "404",
    ("update_goal", "delete_goal"): "ok",
    ("delete_goal", "delete_goal"): "404",
    ("update_goal_if_match", "update_goal_if_match"): "412",  # one tag, two writers: one wins
    ("delete_account", "update_goal"): "404",
    ("update_goal", "delete_account"): "ok",
}


class _Quest:
    def __init__(self, user: uuid.UUID, sender: str, integration: uuid.UUID, pet: uuid.UUID, goal: uuid.UUID) -> None:
        self.user, self.sender, self.integration, self.pet, self.goal = user, sender, integration, pet, goal


async def _quest_world(client: Any, conn: asyncpg.Connection) -> _Quest:
    account = await signup(client)
    github = await connect(client, account)
    pet = await create_pet(client, account)
    user = uuid.UUID(account.id)
    goal = await repo.insert_goal(conn, user, "walk", "steps", 1000, "daily", None, None)
    return _Quest(user, github["external_account_id"], uuid.UUID(github["id"]), uuid.UUID(pet["id"]), goal)


async def _stale_if_none(awaitable: Awaitable[Any]) -> str:
    return "ok" if await awaitable is not None else "412"


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
    if result is None:
        return "404"  # the routes' answer when the write found no row (missing_or_stale without If-Match)
    return result if isinstance(result, str) else "ok"


@pytest.mark.parametrize(("first", "second"), list(QUEST_EXPECTED))
async def test_quest_writes_racing_account_deletion_and_each_other(client, race_url, conn, first, second):
    """B runs `first` in an open transaction; A's `second` is observed waiting; B commits."""
    w = await _quest_world(client, conn)
    async with connections(race_url, 2) as (a, b):
        tx = b.transaction()
        await tx.start()
        assert await _outcome(QUEST_OPS[first](b, w)) == "ok"
        waiting = await started_and_blocked(conn, _outcome(QUEST_OPS[second](a, w)))
        await tx.commit()
        assert (await waiting, first, second) == (QUEST_EXPECTED[first, second], first, second)
    if "delete_account" in (first, second):
        assert await conn.fetchval("SELECT count(*) FROM users WHERE id = $1", w.user) == 0
        for table in ("pets", "goals", "integrations", "events_raw", "events", "metrics_cache"):
            assert await conn.fetchval(f"SELECT count(*) FROM {table} WHERE user_id = $1", w.user) == 0, table  # noqa: S608
