"""Conditional writes take one pooled connection, hold no lock across requests, and leave nothing behind.

The pool is observed through asyncpg's own ``Pool._acquire``/``Pool.release`` (every
``pool.acquire()``, awaited or ``async with``, goes through them), counted per asyncio
task: a request is one task, so the peak per task is the most connections any request
held at once.  Outcomes and counts are asserted, never durations.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator
from typing import Any

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from service.app import create_app
from service.config import load_settings
from tests.chats.util import group_of
from tests.conftest import CHEAP_ARGON2
from tests.helpers import signup

POOL_MAX = 4


class HeldPerTask:
    def __init__(self) -> None:
        self.held: Counter[int] = Counter()
        self.peak = 0
        self.acquired = 0

    def acquired_one(self) -> None:
        task = id(asyncio.current_task())
        self.held[task] += 1
        self.acquired += 1
        self.peak = max(self.peak, self.held[task])

    def released_one(self) -> None:
        self.held[id(asyncio.current_task())] -= 1


@pytest.fixture
def pool_watch(monkeypatch: pytest.MonkeyPatch) -> Iterator[HeldPerTask]:
    watch = HeldPerTask()
    acquire, release = asyncpg.pool.Pool._acquire, asyncpg.pool.Pool.release

    async def counted_acquire(self: Any, timeout: Any) -> Any:  # noqa: ASYNC109 - asyncpg's signature
        conn = await acquire(self, timeout)
        watch.acquired_one()
        return conn

    async def counted_release(self: Any, connection: Any, *, timeout: Any = None) -> None:  # noqa: ASYNC109
        watch.released_one()
        await release(self, connection, timeout=timeout)

    monkeypatch.setattr(asyncpg.pool.Pool, "_acquire", counted_acquire)
    monkeypatch.setattr(asyncpg.pool.Pool, "release", counted_release)
    yield watch


def small_pool_settings(db_url: str, **overrides: Any) -> Any:
    return load_settings(environ={}, database_url=db_url,
                         **{"pool_min_size": 1, "pool_max_size": POOL_MAX, **CHEAP_ARGON2, **overrides})


async def test_2x_pool_max_conditional_writes_on_distinct_chats_never_503(db_url: str, pool_watch: HeldPerTask) -> None:
    async with AsyncTestClient(app=create_app(small_pool_settings(db_url))) as client:
        owner = await signup(client)
        chats = [await group_of(client, owner) for _ in range(2 * POOL_MAX)]
        tags = [(await client.get(f"/chats/{c['id']}", headers=owner.headers)).headers["etag"] for c in chats]
        pool_watch.peak = pool_watch.acquired = 0
        results = await asyncio.gather(*[
            client.patch(f"/chats/{c['id']}", headers={**owner.headers, "If-Match": tag}, json={"title": f"t{i}"})
            for i, (c, tag) in enumerate(zip(chats, tags, strict=True))])
        assert [r.status_code for r in results] == [200] * (2 * POOL_MAX)
        assert pool_watch.acquired == 2 * POOL_MAX  # one connection per request...
        assert pool_watch.peak == 1  # ...and never a second one while holding the first
        assert not +pool_watch.held  # all given back


async def test_burst_of_50x_pool_max_mixed_requests_is_all_answered(db_url: str, pool_watch: HeldPerTask,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    async with AsyncTestClient(app=create_app(small_pool_settings(db_url)), timeout=60) as client:
        user = await signup(client)
        tasks = [(await client.post("/tasks", headers=user.headers, json={"title": f"t{i}"})).json()
                 for i in range(20)]
        tags = {t["id"]: (await client.get(f"/tasks/{t['id']}", headers=user.headers)).headers["etag"] for t in tasks}
        pool_watch.peak = 0
        requests = []
        for i in range(50 * POOL_MAX):
            task = tasks[i % len(tasks)]
            if i % 2:
                requests.append(client.get(f"/tasks/{task['id']}", headers=user.headers))
            else:  # the same tag used five times per task: one write wins, the others are 412
                conditional = {**user.headers, "If-Match": tags[task["id"]]}
                requests.append(client.patch(f"/tasks/{task['id']}", headers=conditional, json={"title": f"burst {i}"}))
        results = await asyncio.gather(*requests)
        statuses = Counter(r.status_code for r in results)
        with capsys.disabled():
            print(f"\nburst of {len(results)} (pool {POOL_MAX}): {dict(sorted(statuses.items()))}")
        assert sum(statuses.values()) == 50 * POOL_MAX
        assert set(statuses) <= {200, 412, 503}
        writes = Counter(r.status_code for r in results[0::2])
        written = len({tasks[i % len(tasks)]["id"] for i in range(0, 50 * POOL_MAX, 2)})
        assert writes[200] <= written  # at most one winner per task and tag
        if not writes[503]:
            assert writes[200] == written and writes[412] == 25 * POOL_MAX - written
        assert writes[200] + writes[412] + writes[503] == 25 * POOL_MAX
        assert pool_watch.peak == 1
        ready = await client.get("/ready")
        assert ready.status_code == 200, ready.text  # the first call after the burst
