"""`db rollback` guards (issue #13 §5): refused in production without --force; refused when a table it
would drop holds rows, unless forced."""

from __future__ import annotations

import os
import subprocess
import sys

import asyncpg

from service.db import migrate
from service.dba.lint import dropped_tables
from tests.platform.test_cli import run_cli

PRODUCTION = {"SERVICE_ENV": "production", "JWT_SECRET": "x" * 40}


def run_production(*args: str, db_url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "service", *args],
                          env={**os.environ, "DATABASE_URL": db_url, **PRODUCTION},
                          capture_output=True, text=True, timeout=120)


def applied(db_url: str) -> list[str]:
    return [m for m, done in migrate.status(db_url) if done]


def test_dropped_tables_are_read_from_the_rollback_text():
    assert dropped_tables("SET lock_timeout = '5s';\n-- DROP TABLE not_this;\nDROP TABLE IF EXISTS a, public.\"B\";\n"
                          "drop table c;\nDROP INDEX d_idx;\n") == ["a", "b", "c"]
    assert dropped_tables(migrate.rollback_file("0012_create_messages").read_text()) == ["messages"]


def test_rollback_refuses_production_without_force(db_url):
    before = applied(db_url)
    for args in (("db", "rollback"), ("db", "rollback", "--all")):
        result = run_production(*args, db_url=db_url)
        assert result.returncode == 2, result.stdout + result.stderr
        assert "refusing to roll back a production database" in result.stderr
    assert applied(db_url) == before


def test_rollback_in_production_with_force_runs(db_url):
    newest = applied(db_url)[-1]
    result = run_production("db", "rollback", "--force", db_url=db_url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"rolled back {newest}" in result.stdout


async def test_rollback_refuses_to_drop_a_table_that_holds_rows(db_url):
    conn = await asyncpg.connect(db_url)
    try:
        await conn.execute("INSERT INTO users (email, password_hash) VALUES ('guard@example.com', '$argon2id$x')")
    finally:
        await conn.close()
    before = applied(db_url)
    result = run_cli("db", "rollback", "--all", db_url=db_url)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "would drop tables that hold rows: users (rollback of 0002_create_users)" in result.stderr
    assert applied(db_url) == before

    result = run_cli("db", "rollback", "--all", "--force", db_url=db_url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert applied(db_url) == []


def test_rollback_of_empty_tables_and_of_no_table_needs_no_force(db_url):
    result = run_cli("db", "rollback", "--count", "1", db_url=db_url)
    assert result.returncode == 0, result.stdout + result.stderr
    result = run_cli("db", "rollback", "--all", db_url=db_url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert applied(db_url) == []


async def test_table_has_rows_sees_rows_and_truncation(conn):
    from service.db.platform_repo import table_has_rows

    assert await table_has_rows(conn, "tasks") is False
    assert await table_has_rows(conn, "no_such_table") is False
    await conn.execute("INSERT INTO users (email, password_hash) VALUES ('rows@example.com', '$argon2id$x')")
    assert await table_has_rows(conn, "users") is True
    assert await table_has_rows(conn, "public.users") is True
