"""Issue #13 §5: audit_log is append-only for service_app; a grant migration that cannot create its role
fails in production; set_updated_at and bump_version leave a no-op UPDATE's stamps alone."""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import psycopg
import pytest

from service.db import migrate
from tests.conftest import createdb, dropdb

USER_ROW = "INSERT INTO users (email, password_hash) VALUES ($1, '$argon2id$x') RETURNING id"


async def test_service_app_may_insert_and_read_audit_rows_but_not_change_or_delete_them(conn):
    user_id = await conn.fetchval(USER_ROW, "audit@example.com")
    async with conn.transaction():
        await conn.execute("SET LOCAL ROLE service_app")
        await conn.execute("INSERT INTO audit_log (user_id, event, details) VALUES ($1, 'login', '{}'::jsonb)", user_id)
        assert await conn.fetchval("SELECT count(*) FROM audit_log WHERE user_id = $1", user_id) == 1
    for statement in ("UPDATE audit_log SET details = '{}'::jsonb", "DELETE FROM audit_log", "TRUNCATE audit_log"):
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            async with conn.transaction():
                await conn.execute("SET LOCAL ROLE service_app")
                await conn.execute(statement)


async def test_deleting_an_account_as_service_app_still_detaches_its_audit_rows(conn):
    user_id = await conn.fetchval(USER_ROW, "gone@example.com")
    await conn.execute("INSERT INTO audit_log (user_id, event, details) VALUES ($1, 'login', '{}'::jsonb)", user_id)
    async with conn.transaction():
        await conn.execute("SET LOCAL ROLE service_app")
        await conn.execute("DELETE FROM users WHERE id = $1", user_id)  # ON DELETE SET NULL runs as the owner
    assert await conn.fetchval("SELECT count(*) FROM audit_log WHERE user_id IS NULL AND event = 'login'") == 1


def _as_user(dsn: str, user: str) -> str:
    parts = urlsplit(dsn)
    return urlunsplit(parts._replace(netloc=f"{user}@{parts.hostname}:{parts.port}"))


@pytest.fixture
def unprivileged_db(server_dsn, tmp_path):
    """A database owned by a role that may not create roles, and 0082 copied for a role that does not exist."""
    suffix = f"{os.getpid()}_{tmp_path.name[-8:].replace('-', '_')}".lower()
    owner, app_role, name = f"mig_owner_{suffix}", f"app_role_{suffix}", f"grants_{suffix}"
    with psycopg.connect(server_dsn, autocommit=True) as admin:
        admin.execute(f'CREATE ROLE "{owner}" LOGIN NOCREATEROLE')
    createdb(server_dsn, name)
    with psycopg.connect(server_dsn.rsplit("/", 1)[0] + f"/{name}", autocommit=True) as admin:
        admin.execute(f'ALTER DATABASE "{name}" OWNER TO "{owner}"')
        admin.execute(f'ALTER SCHEMA public OWNER TO "{owner}"')
    source = migrate.MIGRATIONS_DIR / "0082_grant_service_app_role"
    for suffix_ in (".sql", ".rollback.sql"):
        text = source.with_name(source.name + suffix_).read_text().replace("service_app", app_role)
        (tmp_path / f"0001_grant{suffix_}").write_text(text.replace("-- depends: 0081_create_rate_limits", ""))
    yield _as_user(server_dsn.rsplit("/", 1)[0] + f"/{name}", owner), tmp_path
    dropdb(server_dsn, name)
    with psycopg.connect(server_dsn, autocommit=True) as admin:
        admin.execute(f'DROP ROLE IF EXISTS "{owner}"')


def test_a_grant_migration_that_cannot_create_its_role_fails_in_production(unprivileged_db):
    dsn, directory = unprivileged_db
    with pytest.raises(psycopg.errors.RaiseException, match="cannot create role app_role_"):
        migrate.upgrade(dsn, directory, env="production")
    assert migrate.status(dsn, directory) == [("0001_grant", False)]
    assert migrate.upgrade(dsn, directory, env="development") == ["0001_grant"]  # a notice, the grants skipped


# ---------------------------------------------------------------------------
# No-op updates keep updated_at and version (both BEFORE UPDATE triggers, whichever fires first).


async def test_a_noop_update_keeps_updated_at_and_version(conn):
    user_id = await conn.fetchval(USER_ROW, "noop@example.com")
    await conn.execute("UPDATE users SET created_at = created_at - interval '1 day', "
                       "updated_at = updated_at - interval '1 day' WHERE id = $1", user_id)
    before = await conn.fetchrow("SELECT updated_at, version FROM users WHERE id = $1", user_id)
    assert await conn.execute("UPDATE users SET display_name = display_name, preferences = preferences "
                              "WHERE id = $1", user_id) == "UPDATE 1"
    assert await conn.fetchrow("SELECT updated_at, version FROM users WHERE id = $1", user_id) == before

    await conn.execute("UPDATE users SET display_name = 'Changed' WHERE id = $1", user_id)
    after = await conn.fetchrow("SELECT updated_at, version FROM users WHERE id = $1", user_id)
    assert after["version"] == before["version"] + 1 and after["updated_at"] > before["updated_at"]


async def test_the_noop_test_does_not_depend_on_trigger_order(conn):
    """A trigger named to fire before bump_version sees the same outcome: a no-op stays a no-op."""
    user_id = await conn.fetchval(USER_ROW, "order@example.com")
    await conn.execute("CREATE TRIGGER users_a_set_updated_at_trg BEFORE UPDATE ON users "
                       "FOR EACH ROW EXECUTE FUNCTION set_updated_at()")
    await conn.execute("UPDATE users SET updated_at = updated_at - interval '1 day' WHERE id = $1", user_id)
    before = await conn.fetchrow("SELECT updated_at, version FROM users WHERE id = $1", user_id)
    await conn.execute("UPDATE users SET email = email WHERE id = $1", user_id)
    assert await conn.fetchrow("SELECT updated_at, version FROM users WHERE id = $1", user_id) == before
    await conn.execute("UPDATE users SET is_verified = NOT is_verified WHERE id = $1", user_id)
    after = await conn.fetchrow("SELECT updated_at, version FROM users WHERE id = $1", user_id)
    assert after["version"] == before["version"] + 1 and after["updated_at"] > before["updated_at"]


async def test_a_table_with_updated_at_but_no_version_keeps_it_on_a_noop(conn):
    user_id = await conn.fetchval(USER_ROW, "metrics@example.com")
    await conn.execute("INSERT INTO metrics_cache (user_id, day, kind, total, event_count, updated_at) "
                       "VALUES ($1, '2026-01-01', 'steps', 10, 1, now() - interval '1 day')", user_id)
    before = await conn.fetchval("SELECT updated_at FROM metrics_cache WHERE user_id = $1", user_id)
    await conn.execute("UPDATE metrics_cache SET total = total + 0 WHERE user_id = $1", user_id)
    assert await conn.fetchval("SELECT updated_at FROM metrics_cache WHERE user_id = $1", user_id) == before
    await conn.execute("UPDATE metrics_cache SET total = total + 5 WHERE user_id = $1", user_id)
    assert await conn.fetchval("SELECT updated_at FROM metrics_cache WHERE user_id = $1", user_id) > before
