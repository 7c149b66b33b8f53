"""Several runners at once (workers, machines, a cron run): each batch is done by one of them.

Interleaved at an observed lock wait (tests/race.py), never by sleeping."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator

import asyncpg
import msgspec
import pytest

from service.config import Settings
from service.db.pool import create_pool
from service.jobs.registry import JOBS
from service.jobs.runner import run_job
from tests.race import holding, started_and_blocked

N = 7


@pytest.fixture
async def pool(settings: Settings) -> AsyncIterator[asyncpg.Pool]:
    p = await create_pool(settings, settings.database_url or "")
    try:
        yield p
    finally:
        await p.close()


async def expired_keys(conn: asyncpg.Connection, n: int = N) -> None:
    user = await conn.fetchval("INSERT INTO users (email, auth_provider, auth_provider_id) "
                               "VALUES ('race@example.com', 'test', 'race') RETURNING id")
    await conn.executemany(
        "INSERT INTO idempotency_keys (user_id, idem_key, request_hash, created_at, expires_at) "
        "VALUES ($1, $2, $3, now() - interval '2 days', now() - interval '1 day')",
        [(user, f"k{i}", hashlib.sha256(str(i).encode()).digest()) for i in range(n)])


async def test_a_second_runner_skips_while_the_first_holds_the_jobs_lock(pool, settings, conn, db_url):
    await expired_keys(conn)
    other = await asyncpg.connect(db_url)
    try:
        # B blocks the first runner's DELETE after it has taken the job's advisory lock (inside its batch's
        # transaction): a table lock that conflicts with DELETE's ROW EXCLUSIVE.
        async with holding(other, "LOCK TABLE idempotency_keys IN SHARE MODE"):
            first = await started_and_blocked(conn, run_job(pool, settings, JOBS["idempotency_keys"]),
                                              exclude=(other.get_server_pid(),))
            second = await run_job(pool, settings, JOBS["idempotency_keys"])
            assert (second.skipped, second.purged, second.batches) == (True, 0, 0)
            await other.execute("COMMIT")
        done = await first
    finally:
        await other.close()
    assert (done.skipped, done.purged) == (False, N)
    assert await conn.fetchval("SELECT count(*) FROM idempotency_keys") == 0


async def test_the_lock_is_released_at_commit_not_held_by_the_session(pool, settings, conn):
    await expired_keys(conn)
    small = msgspec.structs.replace(settings, jobs_batch_size=2)
    assert (await run_job(pool, small, JOBS["idempotency_keys"])).purged == N
    # Nothing outlives the batches' transactions: no advisory lock left on any pooled connection.
    assert await conn.fetchval("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'") == 0


async def test_two_runners_at_once_purge_each_row_once(pool, settings, conn, db_url):
    await expired_keys(conn, 25)
    small = msgspec.structs.replace(settings, jobs_batch_size=3)
    other_pool = await create_pool(small, db_url)  # a second worker process or machine
    try:
        outcomes = await asyncio.gather(run_job(pool, small, JOBS["idempotency_keys"]),
                                        run_job(other_pool, small, JOBS["idempotency_keys"]))
    finally:
        await other_pool.close()
    # Each batch was done by exactly one runner; a runner that found the lock taken stopped (the other
    # goes on to the end), so together they purged every row exactly once.
    assert sum(o.purged for o in outcomes) == 25
    assert await conn.fetchval("SELECT count(*) FROM idempotency_keys") == 0


async def test_jobs_run_behind_pgbouncer_in_transaction_mode(pgbouncer_settings, conn):
    await expired_keys(conn)
    pool = await create_pool(pgbouncer_settings, pgbouncer_settings.database_url or "")
    try:
        outcome = await run_job(pool, msgspec.structs.replace(pgbouncer_settings, jobs_batch_size=2),
                                JOBS["idempotency_keys"])
    finally:
        await pool.close()
    assert outcome.purged == N
