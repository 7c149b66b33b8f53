"""Idempotency-Key on creating POSTs: replay, mismatch, concurrency, expiry, per-user keys."""

from __future__ import annotations

import asyncio

import msgspec
from litestar.testing import AsyncTestClient

from service.app import create_app
from tests.helpers import assert_problem, signup


def keyed(account, key: str) -> dict[str, str]:
    return {**account.headers, "Idempotency-Key": key}


async def count_tasks(conn, account) -> int:
    return await conn.fetchval("SELECT count(*) FROM tasks WHERE user_id = $1::uuid", account.id)


async def test_same_key_same_body_replays_the_first_response(client, conn):
    account = await signup(client)
    first = await client.post("/tasks", headers=keyed(account, "k-1"), json={"title": "buy milk"})
    assert first.status_code == 201
    again = await client.post("/tasks", headers=keyed(account, "k-1"), json={"title": "buy milk"})
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert await count_tasks(conn, account) == 1


async def test_same_key_different_body_is_422_and_creates_nothing(client, conn):
    account = await signup(client)
    await client.post("/tasks", headers=keyed(account, "k-2"), json={"title": "one"})
    assert_problem(await client.post("/tasks", headers=keyed(account, "k-2"), json={"title": "two"}), 422)
    assert await count_tasks(conn, account) == 1


async def test_without_a_key_every_post_creates(client, conn):
    account = await signup(client)
    for _ in range(2):
        assert (await client.post("/tasks", headers=account.headers, json={"title": "same"})).status_code == 201
    assert await count_tasks(conn, account) == 2


async def test_concurrent_requests_with_one_key_create_one_row(client, conn):
    account = await signup(client)
    results = await asyncio.gather(*[
        client.post("/tasks", headers=keyed(account, "k-3"), json={"title": "once"}) for _ in range(8)])
    statuses = [r.status_code for r in results]
    assert set(statuses) <= {201, 409}, statuses
    assert statuses.count(201) >= 1
    assert await count_tasks(conn, account) == 1
    created = {r.json()["id"] for r in results if r.status_code == 201}
    assert len(created) == 1  # the replays carry the one row's id


async def test_keys_belong_to_their_user(client, conn):
    alice = await signup(client)
    bob = await signup(client)
    a = await client.post("/tasks", headers=keyed(alice, "shared"), json={"title": "x"})
    b = await client.post("/tasks", headers=keyed(bob, "shared"), json={"title": "x"})
    assert a.status_code == b.status_code == 201
    assert a.json()["id"] != b.json()["id"]
    assert "idempotent-replayed" not in b.headers


async def test_a_client_error_is_replayed_too(client, conn):
    account = await signup(client)
    bad = await client.post("/tasks", headers=keyed(account, "k-4"), json={"title": ""})
    assert bad.status_code == 400
    again = await client.post("/tasks", headers=keyed(account, "k-4"), json={"title": ""})
    assert again.status_code == 400 and again.headers["idempotent-replayed"] == "true"


async def test_keys_expire_after_the_configured_time(settings, conn):
    short = msgspec.structs.replace(settings, idempotency_ttl_s=1)
    async with AsyncTestClient(app=create_app(short)) as client:
        account = await signup(client)
        await client.post("/tasks", headers=keyed(account, "k-5"), json={"title": "first"})
        await asyncio.sleep(1.2)
        later = await client.post("/tasks", headers=keyed(account, "k-5"), json={"title": "second"})
        assert later.status_code == 201 and "idempotent-replayed" not in later.headers
    assert await count_tasks(conn, account) == 2


async def test_a_key_longer_than_255_characters_is_400(client, conn):
    account = await signup(client)
    assert_problem(await client.post("/tasks", headers=keyed(account, "k" * 256), json={"title": "x"}), 400)
    assert await count_tasks(conn, account) == 0


async def test_a_server_error_releases_the_key_so_a_retry_runs_again(settings, monkeypatch):
    from litestar import post

    from service.app import ROUTE_HANDLERS

    calls = []

    @post("/test/flaky")
    async def flaky() -> dict[str, int]:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("first attempt fails")
        return {"attempt": len(calls)}

    monkeypatch.setattr("service.app.ROUTE_HANDLERS", [*ROUTE_HANDLERS, flaky])
    async with AsyncTestClient(app=create_app(settings)) as client:
        account = await signup(client)
        assert_problem(await client.post("/test/flaky", headers=keyed(account, "k-6"), json={}), 500)
        retry = await client.post("/test/flaky", headers=keyed(account, "k-6"), json={})
        assert retry.status_code == 201 and retry.json() == {"attempt": 2}
        assert "idempotent-replayed" not in retry.headers
        replay = await client.post("/test/flaky", headers=keyed(account, "k-6"), json={})
        assert replay.json() == {"attempt": 2} and replay.headers["idempotent-replayed"] == "true"
    assert len(calls) == 2
