"""Read replicas against a real streaming replica of the test server (service/db/replicas.py).

The replica is a ``pg_basebackup`` of the test server (tests/scaleout/replica.py), started
once for this module; each test's database reaches it by streaming replication.  Which node
answered is read from ``X-Database-Node``, so routing everything to the primary cannot pass.
"""

from __future__ import annotations

import asyncio
import subprocess
import threading
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from service.app import create_app
from service.config import Settings, load_settings
from service.db.replicas import parse_lsn
from tests.conftest import CHEAP_ARGON2
from tests.helpers import assert_problem, signup
from tests.scaleout.replica import Replica

ITERATIONS = 1000
APPLY_DELAY_MS = 300


@pytest.fixture(scope="module")
def replica(server_dsn: str, template_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Replica]:
    """A hot standby of the test server; skipped (with the reason) where one cannot be made."""
    node = Replica(server_dsn, tmp_path_factory.mktemp("replica") / "data")
    try:
        node.create()
        node.start()
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        stderr = getattr(exc, "stderr", b"") or b""
        node.stop()
        node.drop_slot()
        pytest.skip(f"cannot start a streaming replica of the test server: {exc} {stderr.decode(errors='replace')}"
                    f"\n{node.log_tail()}")
    try:
        yield node
    finally:
        node.stop()
        node.drop_slot()


def _database(db_url: str) -> str:
    return urlsplit(db_url).path.lstrip("/")


@pytest.fixture
async def replica_settings(replica: Replica, db_url: str) -> Settings:
    await replica.caught_up(db_url, _database(db_url))
    return load_settings(environ={}, database_url=db_url, database_replica_urls=replica.dsn(_database(db_url)),
                         **CHEAP_ARGON2)


@pytest.fixture
async def replica_client(replica_settings: Settings) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app=create_app(replica_settings)) as client:
        yield client


@pytest.fixture
def delayed_replica(replica: Replica) -> Iterator[Replica]:
    """The replica restarted with recovery_min_apply_delay, restarted without it afterwards."""
    replica.stop()
    replica.start(apply_delay_ms=APPLY_DELAY_MS)
    try:
        yield replica
    finally:
        replica.stop()
        replica.start()


async def _create(client: AsyncTestClient[Any], headers: dict[str, str], title: str) -> tuple[int, str]:
    response = await client.post("/tasks", json={"title": title}, headers=headers)
    assert response.status_code == 201, response.text
    assert response.headers["x-database-node"] == "primary"
    return response.json()["id"], response.headers["x-read-after"]


async def _replica_has_replayed(client: AsyncTestClient[Any], token: str) -> None:
    """Poll /ready (which refreshes the replica's state) until the app's cached state of replica-1 is up
    and at or past ``token``: from then on its routing is decided, whatever the machine's speed."""
    for _ in range(400):
        replica = (await client.get("/ready")).json()["replicas"][0]
        if replica["state"] == "up" and parse_lsn(replica["replay_lsn"] or "0/0") >= parse_lsn(token):
            return
        await asyncio.sleep(0.05)  # polling a condition, with a bound
    pytest.fail(f"the app never saw the replica replay {token}: {replica}")


def _newest(response: Any) -> int | None:
    items = response.json()["items"]
    return items[0]["id"] if items else None


async def test_read_your_writes_against_a_delayed_replica(delayed_replica: Replica, db_url: str) -> None:
    await delayed_replica.caught_up(db_url, _database(db_url))
    settings = load_settings(environ={}, database_url=db_url, **CHEAP_ARGON2,
                             database_replica_urls=delayed_replica.dsn(_database(db_url)))
    async with AsyncTestClient(app=create_app(settings)) as client:
        account = await signup(client)
        stale = 0
        nodes: Counter[str] = Counter()
        untokened: Counter[str] = Counter()
        untokened_stale = 0
        for i in range(ITERATIONS):
            task_id, token = await _create(client, account.headers, f"task {i}")
            response = await client.get("/tasks", params={"limit": 1},
                                        headers={**account.headers, "X-Read-After": token})
            assert response.status_code == 200, response.text
            nodes[response.headers["x-database-node"]] += 1
            if response.json()["items"][0]["id"] != task_id:
                stale += 1
            if i % 10 == 0:  # the same read without the token: the replica is in rotation (and behind)
                plain = await client.get("/tasks", params={"limit": 1}, headers=account.headers)
                assert plain.status_code == 200
                untokened[plain.headers["x-database-node"]] += 1
                untokened_stale += _newest(plain) != task_id
    print(f"\nread-your-writes: {ITERATIONS} write-then-read, {stale} stale, nodes {dict(nodes)}; "
          f"reads without the token: {dict(untokened)}, {untokened_stale} stale")
    assert stale == 0
    # Without the token the replica answers, 300 ms behind: the token is what kept the reads fresh.
    assert untokened["replica-1"] > 0 and untokened_stale > 0, "the replica was never in rotation and behind"


async def test_most_reads_are_served_by_the_replica(replica: Replica, replica_client: AsyncTestClient[Any],
                                                   db_url: str) -> None:
    account = await signup(replica_client)
    task_id, token = await _create(replica_client, account.headers, "replicated")
    await replica.caught_up(db_url, _database(db_url))
    await _replica_has_replayed(replica_client, token)
    nodes: Counter[str] = Counter()
    for i in range(200):
        headers = {**account.headers, "X-Read-After": token} if i % 2 else account.headers
        response = await replica_client.get("/tasks", headers=headers)
        assert response.status_code == 200, response.text
        assert response.json()["items"][0]["id"] == task_id
        nodes[response.headers["x-database-node"]] += 1
    print(f"\nafter catch-up, 200 list reads: {dict(nodes)}")
    assert nodes["replica-1"] > 100
    # Routes not marked READ_REPLICA stay on the primary.
    one = await replica_client.get(f"/tasks/{task_id}", headers=account.headers)
    assert one.headers["x-database-node"] == "primary"

    ready = (await replica_client.get("/ready")).json()
    assert [r["name"] for r in ready["replicas"]] == ["replica-1"]
    assert ready["replicas"][0]["state"] == "up"
    metrics = (await replica_client.get("/metrics")).text
    assert 'service_db_replica_state{pid=' in metrics and 'state="up"} 1.0' in metrics
    assert "service_db_replica_lag_seconds{" in metrics


async def test_a_malformed_read_after_token_is_a_400(replica_client: AsyncTestClient[Any]) -> None:
    account = await signup(replica_client)
    response = await replica_client.get("/tasks", headers={**account.headers, "X-Read-After": "yesterday"})
    body = assert_problem(response, 400)
    assert body["field"] == "X-Read-After"


async def test_replica_stopped_mid_load_then_rejoins(replica: Replica, replica_client: AsyncTestClient[Any]) -> None:
    account = await signup(replica_client)
    await _create(replica_client, account.headers, "one")
    statuses: Counter[int] = Counter()
    nodes: Counter[str] = Counter()

    async def read() -> str:
        response = await replica_client.get("/tasks", headers=account.headers)
        statuses[response.status_code] += 1
        node = response.headers.get("x-database-node", "?")
        nodes[node] += 1
        return node

    while nodes["replica-1"] < 20:  # the load reaches the replica
        await read()
    # Fast shutdown in another thread while the reads go on: open sessions are terminated mid-query.
    stopping = threading.Thread(target=replica.stop)
    stopping.start()
    while stopping.is_alive():
        await read()
    for _ in range(50):
        await read()
    stopping.join()
    print(f"\nreplica stopped mid-load: statuses {dict(statuses)}, nodes {dict(nodes)}")
    assert statuses.keys() == {200}, statuses
    assert await read() == "primary"
    assert (await replica_client.get("/ready")).json()["replicas"][0]["state"] == "down"

    replica.start()
    for _ in range(2000):  # rejoins at the first state refresh (REPLICA_STATE_TTL) after it accepts connections
        if await read() == "replica-1":
            break
        await asyncio.sleep(0.01)
    else:
        pytest.fail(f"the replica did not rejoin:\n{replica.log_tail()}")
    assert statuses.keys() == {200}, statuses


async def test_read_your_writes_with_the_primary_behind_pgbouncer(replica: Replica, pgbouncer_url: str,
                                                                 db_url: str) -> None:
    """The deployment of README "PgBouncer": the primary through PgBouncer in transaction mode
    (DB_STATEMENT_CACHE_SIZE=0), the replica direct; the token is read inside PgBouncer's
    transaction pooling and still orders the reads."""
    await replica.caught_up(db_url, _database(db_url))
    settings = load_settings(environ={}, database_url=pgbouncer_url, statement_cache_size=0, **CHEAP_ARGON2,
                             database_replica_urls=replica.dsn(_database(db_url)))
    async with AsyncTestClient(app=create_app(settings)) as client:
        account = await signup(client)
        stale = 0
        nodes: Counter[str] = Counter()
        for i in range(100):
            task_id, token = await _create(client, account.headers, f"task {i}")
            response = await client.get("/tasks", params={"limit": 1},
                                        headers={**account.headers, "X-Read-After": token})
            assert response.status_code == 200, response.text
            stale += _newest(response) != task_id
            nodes[response.headers["x-database-node"]] += 1
        await replica.caught_up(db_url, _database(db_url))
        await _replica_has_replayed(client, token)
        for _ in range(20):
            response = await client.get("/tasks", params={"limit": 1}, headers=account.headers)
            assert _newest(response) == task_id
            nodes[response.headers["x-database-node"]] += 1
    print(f"\nthrough PgBouncer: 100 write-then-read, {stale} stale, nodes {dict(nodes)}")
    assert stale == 0
    assert nodes["replica-1"] > 0


async def test_without_replicas_nothing_changes(client: AsyncTestClient[Any]) -> None:
    account = await signup(client)
    created = await client.post("/tasks", json={"title": "t"}, headers=account.headers)
    listed = await client.get("/tasks", headers={**account.headers, "X-Read-After": "not checked without replicas"})
    assert listed.status_code == 200
    for response in (created, listed):
        assert "x-read-after" not in response.headers and "x-database-node" not in response.headers
    assert "replicas" not in (await client.get("/ready")).json()
