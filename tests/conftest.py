"""Test fixtures: one real PostgreSQL per run, one migrated template, one fresh database per test.

- With no DATABASE_URL, an embedded server is started in a temporary folder
  (fsync off: throwaway data) and destroyed by a finalizer, and by ``atexit``
  if the run dies before the finalizer runs.  With DATABASE_URL, that server
  is used (the role needs CREATEDB).
- Migrations run once, into a template database; every test gets its own
  ``CREATE DATABASE ... TEMPLATE`` clone (``createdb -T``), so tests are
  isolated, can run in any order, and the app's own pool works unchanged.
- HTTP tests go through the real app with Litestar's ``AsyncTestClient``.
"""

from __future__ import annotations

import atexit
import itertools
import os
import subprocess
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from service.app import create_app
from service.config import Settings, load_settings
from service.db import migrate
from service.db.embedded import EmbeddedPostgres, bin_path
from service.db.pool import init_connection
from tests import conformance
from tests import pgbouncer as pgbouncer_module

CHEAP_ARGON2 = {"argon2_time_cost": 1, "argon2_memory_kib": 1024, "argon2_parallelism": 1}
_counter = itertools.count()


def with_database(dsn: str, name: str) -> str:
    parts = urlsplit(dsn)
    return urlunsplit(parts._replace(path=f"/{name}"))


def createdb(server_dsn: str, name: str, template: str | None = None) -> str:
    args = [bin_path("createdb"), f"--maintenance-db={server_dsn}", name]
    if template:
        args[1:1] = ["-T", template]
    subprocess.run(args, check=True, capture_output=True)
    return with_database(server_dsn, name)


def dropdb(server_dsn: str, name: str) -> None:
    subprocess.run([bin_path("dropdb"), f"--maintenance-db={server_dsn}", "--force", "--if-exists", name],
                   check=True, capture_output=True)


@pytest.fixture(scope="session")
def server_dsn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A DSN of the test server's maintenance database."""
    external = os.environ.get("DATABASE_URL")
    if external:
        yield with_database(external, "postgres")
        return
    server = EmbeddedPostgres(tmp_path_factory.mktemp("pg") / "data", fast_unsafe=True)
    atexit.register(server.destroy)
    server.start()
    try:
        yield server.dsn("postgres")
    finally:
        server.destroy()


@pytest.fixture(scope="session")
def template_db(server_dsn: str) -> Iterator[str]:
    """Name of a database holding every migration, cloned by each test."""
    name = f"template_{os.getpid()}"
    dropdb(server_dsn, name)
    migrate.upgrade(createdb(server_dsn, name))
    yield name
    dropdb(server_dsn, name)


@pytest.fixture
def db_url(server_dsn: str, template_db: str) -> Iterator[str]:
    """A fresh, migrated database for one test."""
    name = f"test_{os.getpid()}_{next(_counter)}"
    url = createdb(server_dsn, name, template=template_db)
    yield url
    dropdb(server_dsn, name)


@pytest.fixture(scope="session")
def pgbouncer(server_dsn: str, template_db: str) -> Iterator[pgbouncer_module.PgBouncer]:
    """PgBouncer in transaction mode in front of the test server (tests/pgbouncer.py); skips when
    it is not installed, fails under CI=true.  Started after the migrations so every role exists."""
    pgbouncer_module.require_binary()
    roles = subprocess.run([bin_path("psql"), server_dsn, "-XAtc", "SELECT rolname FROM pg_roles WHERE rolcanlogin"],
                           check=True, capture_output=True, text=True).stdout.split()
    with pgbouncer_module.running(server_dsn, roles) as bouncer:
        yield bouncer


@pytest.fixture
def pgbouncer_url(pgbouncer: pgbouncer_module.PgBouncer, db_url: str, server_dsn: str) -> str:
    """The test's database through PgBouncer, its statement_timeout set on the database (README, PgBouncer)."""
    name = urlsplit(db_url).path.lstrip("/")
    subprocess.run([bin_path("psql"), server_dsn, "-Xqc", f'ALTER DATABASE "{name}" SET statement_timeout = 15000'],
                   check=True, capture_output=True)
    return pgbouncer.url(db_url)


@pytest.fixture
def pgbouncer_settings(pgbouncer_url: str) -> Settings:
    """The app's settings behind PgBouncer: DB_STATEMENT_CACHE_SIZE=0."""
    return load_settings(environ={}, database_url=pgbouncer_url, statement_cache_size=0, **CHEAP_ARGON2)


@pytest.fixture(params=["direct", "pgbouncer"])
def route_settings(request: pytest.FixtureRequest) -> Settings:
    """Parametrises a test over the app's settings straight to PostgreSQL, then through PgBouncer."""
    return request.getfixturevalue("settings" if request.param == "direct" else "pgbouncer_settings")  # type: ignore[no-any-return]


@pytest.fixture
def settings(db_url: str) -> Settings:
    return load_settings(environ={}, database_url=db_url, **CHEAP_ARGON2)


@pytest.fixture
def app(settings: Settings) -> Litestar:
    return create_app(settings)


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app=app) as client:
        yield client


@pytest.fixture
async def conn(db_url: str) -> AsyncIterator[asyncpg.Connection]:
    """A direct connection to the test's database, for reading what the API wrote."""
    connection = await asyncpg.connect(db_url)
    await init_connection(connection)
    try:
        yield connection
    finally:
        await connection.close()


# ---- response conformance (tests/conformance.py): every test response checked against the document --

_original_async_send = AsyncTestClient.send


async def _conforming_send(self: Any, request: Any, **kwargs: Any) -> Any:
    response = await _original_async_send(self, request, **kwargs)
    if not kwargs.get("stream"):
        conformance.check(response)
    return response


@pytest.fixture(scope="session", autouse=True)
def response_conformance() -> Iterator[None]:
    """Installs the conformance check on Litestar's async test client for the whole run
    (CONFORMANCE=0 turns it off, e.g. to look at a failure without it)."""
    if os.environ.get("CONFORMANCE", "1") == "0":
        yield
        return
    AsyncTestClient.send = _conforming_send  # type: ignore[method-assign]
    try:
        yield
    finally:
        AsyncTestClient.send = _original_async_send  # type: ignore[method-assign]


def pytest_terminal_summary(terminalreporter: Any) -> None:
    counts = conformance.VALIDATED
    if counts["responses"] or counts["skipped"]:
        terminalreporter.write_line(f"OpenAPI conformance: {counts['responses']} responses validated against the "
                                    f"document, {counts['skipped']} not covered (/schema, 5xx, undocumented routes)")
