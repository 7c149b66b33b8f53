"""The CLI against a real database given by DATABASE_URL."""

from __future__ import annotations

import os
import subprocess
import sys

from service.accounts.passwords import Passwords
from service.seed import DEMO_USERS, seed


def run_cli(*args: str, db_url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": db_url}
    return subprocess.run([sys.executable, "-m", "service", *args], env=env, capture_output=True, text=True,
                          timeout=120)


def test_check_sql_passes_on_the_migrated_schema(db_url):
    result = run_cli("check-sql", db_url=db_url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 problems" in result.stdout


def test_check_sql_fails_and_names_the_file_on_drift(db_url):
    subprocess.run([sys.executable, "-c", "import asyncio, asyncpg, sys\n"
                    "async def m():\n c = await asyncpg.connect(sys.argv[1])\n"
                    " await c.execute('ALTER TABLE users RENAME COLUMN email TO mail')\nasyncio.run(m())", db_url],
                   check=True)
    result = run_cli("check-sql", db_url=db_url)
    assert result.returncode == 1
    assert "sql/accounts/get_user.sql" in result.stdout and "email" in result.stdout


def test_db_status_lists_applied_migrations(db_url):
    result = run_cli("db", "status", db_url=db_url)
    assert result.returncode == 0
    assert "applied  0002_create_users" in result.stdout
    assert "PENDING" not in result.stdout


def test_db_reset_refuses_a_database_given_by_url(db_url):
    result = run_cli("db", "reset", db_url=db_url)
    assert result.returncode == 2
    assert "refusing" in result.stderr


def test_db_seed_refuses_production_without_force(db_url):
    env_db = {"SERVICE_ENV": "production", "JWT_SECRET": "x" * 40}
    result = subprocess.run([sys.executable, "-m", "service", "db", "seed"],
                            env={**os.environ, "DATABASE_URL": db_url, **env_db},
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "refusing" in result.stderr


async def test_seed_is_idempotent(conn, settings):
    passwords = Passwords(settings)
    first = await seed(conn, passwords)
    second = await seed(conn, passwords)
    assert first == second
    rows = await conn.fetch("SELECT email, onboarding_status FROM users ORDER BY email")
    assert [(r["email"], r["onboarding_status"]) for r in rows] == sorted(
        (email, status) for _, email, _, _, status in DEMO_USERS)


def test_db_upgrade_to_a_migration_and_rollback_to_one(db_url):
    """The seed's "upgrade to a revision" (issue #16): --to applies up to and including one id."""
    from service.db import migrate

    ids = migrate.migration_ids()
    target, middle = ids[-1], ids[-3]
    result = run_cli("db", "rollback", "--to", middle, db_url=db_url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["rolled", "back", ids[-1], "rolled", "back", ids[-2]]
    status = run_cli("db", "status", db_url=db_url).stdout
    assert f"PENDING  {ids[-1]}" in status and f"applied  {middle}" in status
    result = run_cli("db", "upgrade", "--to", ids[-2], db_url=db_url)
    assert result.returncode == 0 and result.stdout.split() == ["applied", ids[-2]], result.stdout
    assert "nothing to apply" in run_cli("db", "upgrade", "--to", middle, db_url=db_url).stdout
    unknown = run_cli("db", "upgrade", "--to", "9999_nope", db_url=db_url)
    assert unknown.returncode == 2 and "9999_nope" in unknown.stderr
    result = run_cli("db", "upgrade", "--to", target, db_url=db_url)
    assert result.returncode == 0 and result.stdout.split() == ["applied", target]
    assert "PENDING" not in run_cli("db", "status", db_url=db_url).stdout
