"""Issue #12 write-path review of the quest domain: event processing against deletion and itself.

Races are interleaved by hand (tests/race.py): one connection holds a transaction open at a
chosen point, the other's operation is *observed* waiting on a lock (or observed not to wait),
then the first commits.  No sleeps.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import asyncpg
import pytest

from service.accounts import logic as accounts_logic
from service.db.pool import init_connection
from service.quest import logic, repo
from tests.helpers import signup
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
        deletion = await started_and_blocked(conn, accounts_logic.delete_account(b, user_id, None))
        assert await logic.process_raw_event(a, raw_id) is True  # same transaction (a savepoint)
        await processing.commit()
        await deletion
    assert await conn.fetchval("SELECT count(*) FROM users WHERE id = $1", user_id) == 0
    assert await conn.fetchval("SELECT count(*) FROM events_raw WHERE user_id = $1", user_id) == 0
    assert await conn.fetchval("SELECT count(*) FROM metrics_cache WHERE user_id = $1", user_id) == 0


async def test_processing_while_the_account_is_being_deleted_skips_without_waiting(client, race_url, conn):
    """The deletion holds the user row: the claim skips the event (no wait, no deadlock), the
    deletion commits and takes the raw event with it; had it rolled back, the event would still
    be pending for `events process`."""
    user_id, raw_id = await _pending_raw_event(client, conn)
    async with connections(race_url, 2) as (a, b):
        for outcome in ("rollback", "commit"):
            deletion = b.transaction()
            await deletion.start()
            await accounts_logic.delete_account(b, user_id, None)
            assert await asyncio.wait_for(logic.process_raw_event(a, raw_id), 30) is False
            if outcome == "rollback":
                await deletion.rollback()
                assert await conn.fetchval("SELECT status FROM events_raw WHERE id = $1", raw_id) == "pending"
            else:
                await deletion.commit()
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
