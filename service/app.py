"""``create_app(settings)``: the Litestar application, wired once.

The pool is opened in the lifespan (one per worker process) and every
request borrows one connection through the ``conn`` dependency.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from typing import Any

from litestar import Litestar, MediaType, Response, get
from litestar.config.app import AppConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin, SwaggerRenderPlugin

from service import __doc__ as service_doc
from service.accounts.passwords import Passwords
from service.accounts.routes import AuthController, MeController
from service.config import Settings, load_settings
from service.db import migrate, platform_repo, queries
from service.db.pool import create_pool
from service.http.access_log import LINES as ACCESS_LINES
from service.http.access_log import access_log_middleware
from service.http.auth import PUBLIC, build_auth
from service.http.deps import DEPENDENCIES
from service.http.metrics import CONFIG as METRICS
from service.http.metrics import POOLS, MetricsController
from service.http.problems import EXCEPTION_HANDLERS, problem

ROUTE_HANDLERS: list[Any] = [AuthController, MeController]


@get("/health", opt=PUBLIC, tags=["ops"], summary="Process is alive (no database call)")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@get("/ready", opt=PUBLIC, tags=["ops"], summary="Database reachable and every migration applied")
async def ready(state: State) -> Response[dict[str, Any]]:
    settings: Settings = state.settings
    try:
        async with state.pool.acquire(timeout=settings.pool_timeout_s) as conn:
            applied = set(await platform_repo.applied_migrations(conn))
    except Exception as exc:
        return problem(503, f"database unreachable: {exc.__class__.__name__}")
    pending = [m for m in state.migration_ids if m not in applied]
    if pending:
        return problem(503, "migrations pending", pending=pending)
    return Response({"status": "ready", "migrations": len(applied)}, media_type=MediaType.JSON)


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or load_settings()
    if settings.database_url is None:
        raise ValueError("create_app needs settings.database_url (the CLI starts the embedded server)")
    queries.set_echo(settings.sql_echo)
    auth = build_auth(settings)
    passwords = Passwords(settings)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncGenerator[None, None]:
        assert settings.database_url is not None
        app.state.pool = await create_pool(settings, settings.database_url)
        POOLS.add(app.state.pool)
        try:
            yield
        finally:
            POOLS.discard(app.state.pool)
            ACCESS_LINES.flush()
            await asyncio.wait_for(app.state.pool.close(), timeout=10)

    # Outermost first, and outside the bearer auth (which puts itself first at app init), so that
    # 401s are counted and logged too.
    outer: list[Any] = [METRICS.middleware] if settings.metrics_enabled else []
    if settings.access_log:
        outer.append(access_log_middleware)

    def wrap_auth(app_config: AppConfig) -> AppConfig:
        app_config.middleware[:0] = outer
        return app_config
    return Litestar(
        route_handlers=[health, ready, *ROUTE_HANDLERS, *([MetricsController] if settings.metrics_enabled else [])],
        dependencies={**DEPENDENCIES, "passwords": Provide(lambda: passwords, sync_to_thread=False)},
        exception_handlers=EXCEPTION_HANDLERS,
        lifespan=[lifespan],
        state=State({"settings": settings, "auth": auth, "migration_ids": migrate.migration_ids()}),
        on_app_init=[auth.on_app_init, wrap_auth],
        request_max_body_size=settings.max_body_bytes,
        openapi_config=OpenAPIConfig(
            title="service",
            version="0.1.0",
            description=service_doc,
            path="/schema",
            render_plugins=[SwaggerRenderPlugin(path="/swagger"), ScalarRenderPlugin(path="/")],
        ),
        debug=False,
    )


def app_from_env() -> Litestar:
    """Factory for ``uvicorn --factory``: worker processes build the app from the environment."""
    return create_app(load_settings())

