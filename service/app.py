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
from litestar.openapi.plugins import ScalarRenderPlugin, SwaggerRenderPlugin

from service import __doc__ as service_doc
from service.accounts.deleted import DeletedAccounts
from service.accounts.logic import sign_in_external
from service.accounts.passwords import Passwords
from service.accounts.routes import AuthController, MeController
from service.chats.routes import ChatController, InvitationController
from service.config import Settings, load_settings
from service.db import migrate, platform_repo, queries
from service.db.pool import create_pool
from service.db.replicas import SETS as REPLICA_SETS
from service.db.replicas import ReplicaSet, replica_retry_middleware
from service.dba import snapshot
from service.expenses.routes import CONTROLLERS as EXPENSE_CONTROLLERS
from service.http.access_log import LINES as ACCESS_LINES
from service.http.access_log import access_log_middleware
from service.http.auth import PUBLIC, build_auth
from service.http.body_guard import body_guard_middleware_factory
from service.http.deps import DEPENDENCIES, REPLICATED
from service.http.etag import etag_middleware
from service.http.metrics import CONFIG as METRICS
from service.http.metrics import POOLS, MetricsController
from service.http.openapi import ServiceOpenAPIConfig
from service.http.problems import EXCEPTION_HANDLERS, problem
from service.idempotency.middleware import idempotency_middleware_factory
from service.jobs.runner import scheduler
from service.linked_accounts.routes import LinkedAccountController
from service.quest.routes import CONTROLLERS as QUEST_CONTROLLERS
from service.tasks.routes import TaskController

ROUTE_HANDLERS: list[Any] = [
    AuthController, MeController, ChatController, InvitationController, TaskController, LinkedAccountController,
    *EXPENSE_CONTROLLERS,
    *QUEST_CONTROLLERS,
]


@get("/health", opt=PUBLIC, tags=["ops"], summary="Process is alive (no database call)")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@get("/ready", opt=PUBLIC, tags=["ops"], summary="Database reachable, every migration applied, no schema drift")
async def ready(state: State) -> Response[dict[str, Any]]:
    settings: Settings = state.settings
    try:
        async with state.pool.acquire(timeout=settings.pool_timeout_s) as conn:
            applied = set(await platform_repo.applied_migrations(conn))
            pending = [m for m in state.migration_ids if m not in applied]
            # Drift from docs/schema.sql, checked on every call: a few catalog reads (milliseconds).
            differences = [] if pending else await snapshot.drift(conn)
    except Exception as exc:
        return problem(503, f"database unreachable: {exc.__class__.__name__}")
    if pending:
        return problem(503, "migrations pending", pending=pending)
    if differences:  # names only: definitions stay off this unauthenticated endpoint
        return problem(503, "schema drift from docs/schema.sql", drift=[d.short for d in differences])
    body: dict[str, Any] = {"status": "ready", "migrations": len(applied)}
    if state.replicas is not None:  # informative: a replica down or lagging is not a reason to refuse traffic
        for replica in state.replicas.replicas:
            await state.replicas.fresh(replica)
        body["replicas"] = [replica.describe() for replica in state.replicas.replicas]
    return Response(body, media_type=MediaType.JSON)


async def _refuse_privileged_role(pool: Any) -> None:
    """Least privilege in production: the service's role reads and writes rows, nothing more."""
    async with pool.acquire() as conn:
        excess = (await platform_repo.current_role_privileges(conn)).excess()
    if excess:
        await pool.close()
        raise RuntimeError("refusing to start with SERVICE_ENV=production: the database role "
                           + ", ".join(excess) + " (connect as a member of service_app; see README)")


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or load_settings()
    if settings.database_url is None:
        raise ValueError("create_app needs settings.database_url (the CLI starts the embedded server)")
    queries.set_echo(settings.sql_echo)
    auth = build_auth(settings, resolve_external=sign_in_external)
    passwords = Passwords(settings)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncGenerator[None, None]:
        assert settings.database_url is not None
        app.state.pool = await create_pool(settings, settings.database_url)
        if settings.env == "production":
            await _refuse_privileged_role(app.state.pool)
        POOLS.add(app.state.pool)
        deleted = app.state.deleted_accounts = DeletedAccounts(settings.database_listen_url or settings.database_url)
        await deleted.start()
        jobs = asyncio.create_task(scheduler(app.state.pool, settings), name="retention-jobs") \
            if settings.jobs_enabled else None
        app.state.jobs = jobs
        replicas = app.state.replicas = ReplicaSet(settings) if settings.database_replica_urls else None
        if replicas is not None:
            REPLICA_SETS.add(replicas)
        try:
            yield
        finally:
            if jobs is not None:
                jobs.cancel()
                await asyncio.gather(jobs, return_exceptions=True)
            await deleted.stop()
            POOLS.discard(app.state.pool)
            if replicas is not None:
                REPLICA_SETS.discard(replicas)
                await replicas.close()
            ACCESS_LINES.flush()
            await asyncio.wait_for(app.state.pool.close(), timeout=10)

    # Outermost first, and outside the bearer auth (which puts itself first at app init), so that
    # 401s are counted and logged too.  Inside auth: body limits, idempotency, ETags (they need the caller).
    outer: list[Any] = [METRICS.middleware] if settings.metrics_enabled else []
    if settings.access_log:
        outer.append(access_log_middleware)

    def wrap_auth(app_config: AppConfig) -> AppConfig:
        app_config.middleware[:0] = outer
        return app_config

    openapi_config = ServiceOpenAPIConfig(
        title="service",
        version="0.2.0",
        description=service_doc,
        path="/schema",
        render_plugins=[SwaggerRenderPlugin(path="/swagger"), ScalarRenderPlugin(path="/")],
    )
    app = Litestar(
        route_handlers=[health, ready, *ROUTE_HANDLERS, *([MetricsController] if settings.metrics_enabled else [])],
        dependencies={**DEPENDENCIES, **(REPLICATED if settings.database_replica_urls else {}),
                      "passwords": Provide(lambda: passwords, sync_to_thread=False)},
        exception_handlers=EXCEPTION_HANDLERS,
        lifespan=[lifespan],
        state=State({"settings": settings, "replicas": None, "auth": auth, "migration_ids": migrate.migration_ids()}),
        on_app_init=[auth.on_app_init, wrap_auth],
        middleware=[
            *([replica_retry_middleware] if settings.database_replica_urls else []),
            body_guard_middleware_factory(settings.max_body_bytes, settings.json_max_depth),
            idempotency_middleware_factory(settings.idempotency_ttl_s, settings.max_body_bytes),
            etag_middleware,
        ],
        request_max_body_size=settings.max_body_bytes,
        openapi_config=openapi_config,
        debug=False,
    )
    # The document is refined from the app's route table (service/http/openapi.py); Litestar keeps a copy of the config.
    assert isinstance(app.openapi_config, ServiceOpenAPIConfig)
    app.openapi_config.bind(app)
    return app


def app_from_env() -> Litestar:
    """Factory for ``uvicorn --factory``: worker processes build the app from the environment."""
    return create_app(load_settings())

