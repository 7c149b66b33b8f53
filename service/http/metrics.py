"""Prometheus metrics at ``/metrics``: requests per route template and status, and the connection pool.

- Requests: Litestar's Prometheus plugin with ``group_path`` on, so the
  ``path`` label is the route template (``/chats/{chat_id:int}/messages``),
  never a concrete id: ``service_requests_total``,
  ``service_request_duration_seconds`` (histogram),
  ``service_requests_in_progress``, ``service_requests_error_total`` (5xx),
  labelled method, path, status_code.
- Pool (per worker process, read at scrape time): ``service_db_pool_size``,
  ``..._max``, ``..._idle``, ``..._in_use`` and ``..._waiting`` (requests
  waiting for a connection right now; above zero for long means the pool is
  the bottleneck, see ``DB_POOL_MAX`` and ``DB_POOL_TIMEOUT``).

With several workers each process has its own counters and a scrape is
answered by one of them; set ``PROMETHEUS_MULTIPROC_DIR`` to an empty folder
to aggregate the request metrics over workers (README, "Load testing").
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from typing import Any

import asyncpg
from litestar import Response, get
from litestar.plugins.prometheus import PrometheusConfig, PrometheusController, PrometheusMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from service.http.auth import PUBLIC
from service.http.problems import status_of

BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0]


class PoolStats:
    """What asyncpg does not count itself: requests waiting for a connection."""

    waiting = 0


POOLS: set[asyncpg.Pool] = set()
"""Open pools of this process (one per app; tests open several): the app's lifespan adds and removes."""


class PoolCollector(Collector):
    def collect(self) -> Iterator[GaugeMetricFamily]:
        pools = list(POOLS)
        size = sum(p.get_size() for p in pools)
        idle = sum(p.get_idle_size() for p in pools)
        pid = str(os.getpid())
        for name, doc, value in (
            ("size", "Open connections in the pool", size),
            ("max", "Largest size the pool may grow to", sum(p.get_max_size() for p in pools)),
            ("idle", "Open connections not lent to a request", idle),
            ("in_use", "Connections lent to requests", size - idle),
            ("waiting", "Requests waiting for a pooled connection", PoolStats.waiting),
        ):
            family = GaugeMetricFamily(f"service_db_pool_{name}", doc, labels=["pid"])
            family.add_metric([pid], value)
            yield family


class RouteMetrics(PrometheusMiddleware):
    """Litestar's Prometheus middleware, made exact for errors and cheaper per request.

    - A request that ends in an exception raised below it (the bearer auth's
      401, a handler's error) is counted with that exception's status; the
      plugin's own ``__call__`` counted it as a 200.
    - The label children are looked up once per (method, route, status) and
      kept, instead of building a ``Request`` and label dicts per request.
    Same metric names and labels as the plugin (method, path, status_code, app_name).
    """

    def __init__(self, app: ASGIApp, config: PrometheusConfig) -> None:
        super().__init__(app, config)
        self._children: dict[tuple[str, str, int], tuple[Any, Any, Any]] = {}
        self._progress: dict[tuple[str, str], Any] = {}

    def _record(self, method: str, path: str, status: int, seconds: float) -> None:
        key = (method, path, status)
        children = self._children.get(key)
        if children is None:
            labels: dict[str, str | int | float] = {"method": method, "path": path, "status_code": status,
                                                    "app_name": self._config.app_name}
            values = list(labels.values())
            children = (self.request_count(labels).labels(*values), self.request_time(labels).labels(*values),
                        self.requests_error_count(labels).labels(*values) if status >= 500 else None)
            self._children[key] = children
        children[0].inc()
        children[1].observe(seconds)
        if children[2] is not None:
            children[2].inc()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        method = scope["method"] if scope["type"] == "http" else scope["type"]
        path = scope.get("path_template") or scope["path"]
        progress = self._progress.get((method, path))
        if progress is None:
            labels: dict[str, str | int | float] = {"method": method, "path": path, "status_code": 200,
                                                    "app_name": self._config.app_name}
            progress = self._progress[(method, path)] = self.requests_in_progress(labels).labels(*labels.values())
        status = 500
        started = time.perf_counter()

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        progress.inc()
        try:
            await self.app(scope, receive, send_and_note)
        except Exception as exc:
            status = status_of(exc)
            raise
        finally:
            progress.dec()
            self._record(method, path, status, time.perf_counter() - started)


POOL_COLLECTOR = PoolCollector()
REGISTRY.register(POOL_COLLECTOR)

CONFIG = PrometheusConfig(app_name="service", prefix="service", group_path=True, buckets=BUCKETS,  # type: ignore[arg-type]
                          middleware_class=RouteMetrics)


class MetricsController(PrometheusController):
    """``GET /metrics`` in Prometheus' text format, without a token (keep it off the public network)."""

    path = "/metrics"
    opt = PUBLIC
    include_in_schema = False

    @get()
    async def get(self) -> Response[Any]:
        registry = REGISTRY
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
            registry.register(POOL_COLLECTOR)  # this worker's pool
            from service.db.replicas import REPLICA_COLLECTOR
            registry.register(REPLICA_COLLECTOR)  # this worker's replicas
        return Response(generate_latest(registry), headers={"Content-Type": CONTENT_TYPE_LATEST})
