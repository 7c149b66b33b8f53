"""Production runs as a role that owns no table and cannot run DDL; it refuses anything more."""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from service.app import create_app
from tests.helpers import signup

PRODUCTION = {"env": "production", "jwt_secret": "p" * 48}


@pytest.fixture
async def app_role_url(db_url, conn):
    role = f"app_login_{os.getpid()}"
    await conn.execute(f"DROP ROLE IF EXISTS {role}")
    await conn.execute(f"CREATE ROLE {role} LOGIN IN ROLE service_app")
    parts = urlsplit(db_url)
    yield urlunsplit(parts._replace(netloc=f"{role}@{parts.hostname}:{parts.port}"))
    await conn.execute(f"DROP ROLE IF EXISTS {role}")


async def test_service_works_as_the_least_privileged_role(settings, app_role_url):
    production = msgspec.structs.replace(settings, database_url=app_role_url, **PRODUCTION)
    async with AsyncTestClient(app=create_app(production)) as client:
        account = await signup(client)
        assert (await client.patch("/me", headers=account.headers, json={"display_name": "x"})).status_code == 200
        assert (await client.get("/ready")).status_code == 200
    role = await asyncpg.connect(app_role_url)
    try:
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await role.execute("CREATE TABLE sneaky (id integer)")
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await role.execute("ALTER TABLE users ADD COLUMN sneaky integer")
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await role.execute("DELETE FROM _yoyo_migration")
    finally:
        await role.close()


async def test_production_refuses_to_start_as_a_superuser(settings):
    production = msgspec.structs.replace(settings, **PRODUCTION)
    with pytest.raises(BaseException) as failure:
        async with AsyncTestClient(app=create_app(production)):
            pass
    assert "refusing to start" in repr(failure.value) and "superuser" in repr(failure.value)


def test_production_refuses_the_default_signing_secret():
    from service.config import load_settings

    with pytest.raises(ValueError, match="JWT_SECRET"):
        load_settings(environ={"SERVICE_ENV": "production"})
