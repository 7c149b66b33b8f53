"""/metrics: request counts and latency per route template and status, and the pool's gauges."""

from __future__ import annotations

import asyncio
from typing import Annotated

import msgspec
from litestar import get
from litestar.datastructures import State
from litestar.params import Parameter
from litestar.testing import AsyncTestClient
from prometheus_client import REGISTRY, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from service.app import create_app
from service.db.pool import create_pool
from service.errors import NotFound
from service.http.auth import PUBLIC
from service.http.deps import provide_conn
from service.http.metrics import POOLS
from tests.helpers import signup


async def scrape(client) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = await client.get("/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(response.text) for s in family.samples}


def value(samples, name: str, **labels: str) -> float:
    return sum(v for (n, ls), v in samples.items() if n == name and labels.items() <= dict(ls).items())


async def test_requests_are_counted_per_route_and_status_without_a_token(client):
    account = await signup(client)
    before = await scrape(client)
    for _ in range(3):
        assert (await client.get("/me", headers=account.headers)).status_code == 200
    assert (await client.get("/me")).status_code == 401
    after = await scrape(client)
    ok = {"method": "GET", "path": "/me", "status_code": "200"}
    assert value(after, "service_requests_total", **ok) - value(before, "service_requests_total", **ok) == 3
    assert value(after, "service_request_duration_seconds_count", **ok) \
        - value(before, "service_request_duration_seconds_count", **ok) == 3
    assert value(after, "service_request_duration_seconds_bucket", le="+Inf", **ok) >= 3
    unauthorized = {"method": "GET", "path": "/me", "status_code": "401"}
    assert value(after, "service_requests_total", **unauthorized) \
        - value(before, "service_requests_total", **unauthorized) == 1


async def test_paths_are_grouped_by_template_so_ids_do_not_become_labels(settings):
    @get("/test/items/{item_id:int}", opt=PUBLIC)
    async def item(item_id: Annotated[int, Parameter()]) -> dict[str, int]:
        return {"id": item_id}

    @get("/test/missing", opt=PUBLIC)
    async def missing() -> None:
        raise NotFound("no such thing")

    app = create_app(settings)
    app.register(item)
    app.register(missing)
    async with AsyncTestClient(app=app) as client:
        for item_id in (1, 22, 333):
            assert (await client.get(f"/test/items/{item_id}")).status_code == 200
        assert (await client.get("/no/such/path/42")).status_code == 404
        assert (await client.get("/test/missing")).status_code == 404
        samples = await scrape(client)
    paths = {dict(labels)["path"] for (name, labels) in samples if name == "service_requests_total"}
    assert "/test/items/{item_id}" in paths
    assert not any(p.startswith("/test/items/") and "{" not in p for p in paths), paths
    assert not any("/no/such" in p for p in paths), paths
    assert value(samples, "service_requests_total", path="/test/items/{item_id}", status_code="200") >= 3
    assert value(samples, "service_requests_total", path="/test/missing", status_code="404") >= 1
    assert value(samples, "service_requests_total", path="/test/missing", status_code="200") == 0


async def test_pool_gauges_show_connections_in_use_and_requests_waiting(settings):
    app = create_app(msgspec.structs.replace(settings, pool_min_size=1, pool_max_size=1))
    async with AsyncTestClient(app=app) as client:
        samples = await scrape(client)
        assert value(samples, "service_db_pool_size") >= 1
        assert value(samples, "service_db_pool_max") >= 1
    # The test client runs the app in a loop of its own: watch a waiting request in this one.
    small = msgspec.structs.replace(settings, pool_min_size=1, pool_max_size=1, pool_timeout_s=2)
    pool = await create_pool(small, small.database_url)
    POOLS.add(pool)
    try:
        before = metrics_now()
        held = await pool.acquire()
        request_conn = provide_conn(State({"pool": pool, "settings": small}))
        waiting = asyncio.create_task(anext(request_conn))
        await asyncio.sleep(0.1)
        busy = metrics_now()
        assert value(busy, "service_db_pool_in_use") - value(before, "service_db_pool_in_use") == 1
        assert value(busy, "service_db_pool_waiting") == 1
        await pool.release(held)
        assert await (await waiting).fetchval("SELECT 1") == 1
        assert value(metrics_now(), "service_db_pool_waiting") == 0
        await request_conn.aclose()
        assert value(metrics_now(), "service_db_pool_in_use") == value(before, "service_db_pool_in_use")
    finally:
        POOLS.discard(pool)
        await pool.close()


def metrics_now() -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(generate_latest(REGISTRY).decode()) for s in family.samples}


async def test_metrics_can_be_switched_off(settings):
    app = create_app(msgspec.structs.replace(settings, metrics_enabled=False))
    async with AsyncTestClient(app=app) as client:
        assert (await client.get("/metrics")).status_code in (401, 404)
