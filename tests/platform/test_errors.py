"""Error mapping: database errors become problem responses; bugs stay 500s but still problems."""

from __future__ import annotations

import asyncio
import logging
import time

import asyncpg
import msgspec
import pytest
from litestar import get
from litestar.testing import AsyncTestClient

from service.app import ROUTE_HANDLERS, create_app
from service.errors import from_postgres
from tests.helpers import assert_problem, signup


@get("/test/boom", opt={"exclude_from_auth": True})
async def boom() -> None:
    raise RuntimeError("a bug")


async def test_an_unexpected_error_is_a_500_problem_without_details(settings, monkeypatch):
    monkeypatch.setattr("service.app.ROUTE_HANDLERS", [*ROUTE_HANDLERS, boom])
    async with AsyncTestClient(app=create_app(settings)) as client:
        body = assert_problem(await client.get("/test/boom"), 500)
    assert "a bug" not in body["detail"]


async def test_unreachable_database_gives_503_fast(settings):
    down = msgspec.structs.replace(settings, database_url="postgresql://postgres@127.0.0.1:1/none", pool_min_size=0)
    async with AsyncTestClient(app=create_app(down)) as client:
        started = time.monotonic()
        assert_problem(await client.post("/auth/login", json={"email": "a@example.com", "password": "x"}), 503)
        assert time.monotonic() - started < down.pool_timeout_s + 5  # failed fast, did not hang
        assert_problem(await client.get("/ready"), 503)
        assert (await client.get("/health")).status_code == 200


async def test_service_recovers_after_its_connections_are_killed(client, conn):
    account = await signup(client)
    await conn.execute("""SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                          WHERE datname = current_database() AND pid <> pg_backend_pid()""")
    await asyncio.sleep(0.2)  # let the event loop see the closed sockets (the pool then discards them)
    # Each dead pooled connection can fail one request fast (503); the pool replaces it.
    statuses = []
    for _ in range(client.app.state.settings.pool_max_size + 2):
        statuses.append((await client.get("/me", headers=account.headers)).status_code)
        if statuses[-1] == 200:
            break
    assert set(statuses) <= {200, 503}, statuses
    assert statuses[-1] == 200, statuses


@pytest.mark.parametrize("exc, status", [
    (asyncpg.UniqueViolationError("dup"), 409),
    (asyncpg.CheckViolationError("check"), 422),
    (asyncpg.RestrictViolationError("restrict"), 409),
    (asyncpg.NotNullViolationError("null"), 422),
    (asyncpg.InvalidTextRepresentationError("text"), 422),
    (asyncpg.QueryCanceledError("timeout"), 503),
])
def test_sqlstate_mapping(exc, status):
    assert from_postgres(exc).status == status


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


async def test_sql_echo_logs_file_names_and_durations(settings):
    collect = Collect()
    logger = logging.getLogger("service.sql")
    logger.addHandler(collect)
    try:
        async with AsyncTestClient(app=create_app(msgspec.structs.replace(settings, sql_echo=True))) as client:
            await signup(client)
    finally:
        logger.removeHandler(collect)
        create_app(settings)  # echo off again for the tests that follow
    assert any(line.startswith("sql accounts/insert_user ") and line.endswith(" ms") for line in collect.lines)


def test_a_connection_lost_mid_request_is_503_but_other_interface_errors_are_bugs():
    lost = asyncpg.InterfaceError("cannot call Connection.fetch(): connection has been released back to the pool")
    assert from_postgres(lost).status == 503
    assert from_postgres(asyncpg.InterfaceError("connection is closed")).status == 503
    assert from_postgres(asyncpg.InterfaceError("another operation is in progress")) is None
