"""The PgBouncer fixture (tests/pgbouncer.py) works: the app runs through it in transaction mode."""

from __future__ import annotations

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from service.app import create_app
from service.config import Settings
from tests import pgbouncer as pgbouncer_module
from tests.helpers import signup
from tests.pgbouncer import PgBouncer


async def test_the_app_answers_through_pgbouncer(pgbouncer: PgBouncer, pgbouncer_settings: Settings) -> None:
    assert f":{pgbouncer.port}/" in (pgbouncer_settings.database_url or "")
    assert pgbouncer_settings.statement_cache_size == 0
    async with AsyncTestClient(app=create_app(pgbouncer_settings)) as client:
        assert (await client.get("/ready")).status_code == 200
        user = await signup(client)
        me = await client.get("/me", headers=user.headers)
        assert me.status_code == 200, me.text
        assert me.json()["id"] == user.id


async def test_connections_land_on_pooled_servers_with_the_database_timeout(pgbouncer_url: str) -> None:
    conn = await asyncpg.connect(pgbouncer_url, statement_cache_size=0)
    try:
        assert await conn.fetchval("SHOW statement_timeout") == "15s"  # set on the database, not at startup
    finally:
        await conn.close()


@pytest.mark.parametrize(("ci", "outcome"), [("", pytest.skip.Exception), ("true", pytest.fail.Exception)])
def test_a_missing_pgbouncer_skips_but_fails_under_ci(monkeypatch: pytest.MonkeyPatch, ci: str,
                                                      outcome: type[BaseException]) -> None:
    monkeypatch.setattr(pgbouncer_module, "binary", lambda: None)
    monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome, match="pgbouncer is not installed"):
        pgbouncer_module.require_binary()
