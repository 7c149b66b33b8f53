"""Issue #13 §3: account deletion.  DELETE /me marks the account deleted; its tokens are refused at
once on every worker (each worker's LISTEN connection, service/accounts/deleted.py); what must go
at once goes in the deleting transaction; the account_purge job deletes the rest later."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import msgspec
from litestar.testing import AsyncTestClient

from service.app import create_app
from service.config import Settings
from service.db.pool import create_pool
from service.jobs.registry import JOBS
from service.jobs.runner import run_job
from tests.chats.util import group_of
from tests.helpers import PASSWORD, assert_problem, signup

DEADLINE_S = 10.0
"""Upper bound for a notification to arrive; the tests assert the outcome, never the time taken."""


@asynccontextmanager
async def instance(settings: Settings) -> AsyncIterator[tuple[Any, AsyncTestClient[Any]]]:
    """One more app (another worker) on the same database."""
    app = create_app(settings)
    async with AsyncTestClient(app=app) as client:
        yield app, client


async def until(predicate: Any) -> bool:
    """Polls ``predicate`` until it holds or DEADLINE_S passes; returns its last value."""
    deadline = time.monotonic() + DEADLINE_S
    while not predicate():
        if time.monotonic() > deadline:
            return bool(predicate())
        await asyncio.sleep(0.01)
    return True


async def test_a_token_deleted_on_one_worker_is_401_on_another(client, settings):
    async with instance(settings) as (_, a), instance(settings) as (app_b, b):
        gone, stays = await signup(a), await signup(a)
        assert (await b.get("/me", headers=gone.headers)).status_code == 200  # B has verified (cached) it
        assert (await a.delete("/me", headers=gone.headers)).status_code == 204
        assert_problem(await a.get("/me", headers=gone.headers), 401)  # the deleting worker: at once
        assert await until(lambda: uuid.UUID(gone.id) in app_b.state.deleted_accounts)
        assert_problem(await b.get("/me", headers=gone.headers), 401)
        assert_problem(await b.get("/chats", headers=gone.headers), 401)
        assert_problem(await b.post("/me/password", headers=gone.headers,
                                    json={"current_password": PASSWORD, "new_password": "another-long-pass"}), 401)
        assert (await b.get("/me", headers=stays.headers)).status_code == 200
        # a worker started afterwards loads it at start-up
        async with instance(settings) as (app_c, c):
            assert uuid.UUID(gone.id) in app_c.state.deleted_accounts
            assert_problem(await c.get("/me", headers=gone.headers), 401)


async def test_a_dropped_listen_connection_reconnects_and_reloads(client, settings, conn):
    async with instance(settings) as (app_b, b):
        deleted = app_b.state.deleted_accounts
        account = await signup(client)
        loads, pid = deleted.loads, deleted.server_pid
        assert await conn.fetchval("SELECT pg_terminate_backend($1)", pid)
        # deleted while B may be away: the notification can be lost, the reload finds it
        assert (await client.delete("/me", headers=account.headers)).status_code == 204
        assert await until(lambda: deleted.loads > loads and uuid.UUID(account.id) in deleted)
        assert deleted.server_pid != pid
        assert_problem(await b.get("/me", headers=account.headers), 401)


async def test_what_goes_at_once_and_what_waits_for_the_purge(client, settings, conn):
    account = await signup(client)
    other = await signup(client)
    key = {**account.headers, "Idempotency-Key": "k-1"}
    assert (await client.post("/chats", headers=key, json={"kind": "solo"})).status_code == 201
    uid = uuid.UUID(account.id)
    assert await conn.fetchval("SELECT count(*) FROM idempotency_keys WHERE user_id = $1", uid) == 1
    assert (await client.delete("/me", headers=account.headers)).status_code == 204
    for table in ("auth_sessions", "known_sign_in_addresses", "idempotency_keys"):
        assert await conn.fetchval(f"SELECT count(*) FROM {table} WHERE user_id = $1", uid) == 0, table  # noqa: S608
    # the email stays taken until the purge; nobody can add the deleted account to a chat meanwhile
    assert_problem(await client.post("/auth/register", json={"email": account.email, "password": PASSWORD}), 409)
    group = await group_of(client, other)
    assert_problem(await client.post(f"/chats/{group['id']}/members", headers=other.headers,
                                     json={"user_id": str(uid), "role": "member"}), 422)
    assert_problem(await client.delete("/me", headers=account.headers), 401)

    pool = await create_pool(settings, settings.database_url or "")
    try:
        later = msgspec.structs.replace(settings, account_purge_delay_s=3600)
        assert (await run_job(pool, later, JOBS["account_purge"])).purged == 0  # within ACCOUNT_PURGE_DELAY
        assert await conn.fetchval("SELECT count(*) FROM users WHERE id = $1", uid) == 1
        outcome = await run_job(pool, msgspec.structs.replace(settings, jobs_batch_size=1), JOBS["account_purge"])
        assert outcome.purged == 1
    finally:
        await pool.close()
    assert await conn.fetchval("SELECT count(*) FROM users WHERE id = $1", uid) == 0
    assert await conn.fetchval("SELECT count(*) FROM chats c JOIN chat_members m ON m.chat_id = c.id "
                               "WHERE m.user_id = $1", uid) == 0
    # purged: the email is free again
    assert (await client.post("/auth/register", json={"email": account.email, "password": PASSWORD})).status_code == 201


async def test_two_deletions_of_one_account_at_once_delete_it_once(client, settings, db_url):
    account = await signup(client)
    results = await asyncio.gather(*(client.delete("/me", headers=account.headers) for _ in range(2)))
    codes = sorted(r.status_code for r in results)
    assert codes[0] == 204 and codes[1] in (204, 401, 404), codes
    c2 = await asyncpg.connect(db_url)
    try:
        assert await c2.fetchval("SELECT count(*) FROM audit_log WHERE event = 'account_delete'") == 1
    finally:
        await c2.close()


async def test_user_tokens_get_503_until_the_deleted_set_is_loaded(client, settings):
    """Fail closed: a worker whose LISTEN connection cannot load the set of deleted accounts still starts
    (its database may come up later), but answers user tokens 503 rather than let a deleted account in."""
    account = await signup(client)
    unreachable = msgspec.structs.replace(settings, database_listen_url="postgresql://postgres@127.0.0.1:1/none")
    async with AsyncTestClient(app=create_app(unreachable)) as other:
        assert not other.app.state.deleted_accounts.ready
        assert_problem(await other.get("/me", headers=account.headers), 503)
        assert (await other.get("/health")).status_code == 200
    assert (await client.get("/me", headers=account.headers)).status_code == 200
