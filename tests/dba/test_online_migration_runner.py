"""Issue #13 §4: the runner retries a statement that hits lock_timeout, with backoff, then fails cleanly;
``db new --concurrent`` writes the online template.  The conflicting lock is held with tests/race.py."""

from __future__ import annotations

import asyncio
import threading

import asyncpg
import pytest

from service.db import migrate
from service.db.migrate import LockRetry, MigrationLockTimeout
from service.dba.lint import lint_migrations
from tests.race import holding, wait_for_waiters

ONLINE_INDEX = """-- 0001_index_tasks_created_at
-- depends:
-- transactional: false
-- squawk-disable-assume-in-transaction
SET lock_timeout = '100ms';
SET statement_timeout = '60s';
SET search_path = public, pg_catalog;

DROP INDEX CONCURRENTLY IF EXISTS tasks_created_at_idx;

SET statement_timeout = 0;
CREATE INDEX CONCURRENTLY IF NOT EXISTS tasks_created_at_idx ON tasks (created_at);
SET statement_timeout = '60s';
"""
ONLINE_INDEX_ROLLBACK = """SET lock_timeout = '100ms';
SET search_path = public, pg_catalog;

DROP INDEX CONCURRENTLY IF EXISTS tasks_created_at_idx;
"""
ADD_COLUMN = """-- 0001_add_tasks_note
-- depends:
SET LOCAL lock_timeout = '100ms';
SET LOCAL statement_timeout = '60s';
SET LOCAL search_path = public, pg_catalog;

ALTER TABLE tasks ADD COLUMN note text;
"""
ADD_COLUMN_ROLLBACK = """SET LOCAL lock_timeout = '100ms';

ALTER TABLE tasks DROP COLUMN note;
"""
USER_ROW = "INSERT INTO users (email, password_hash) VALUES ($1, '$argon2id$x') RETURNING id"


def scratch(directory, stem: str, forward: str, backward: str):
    (directory / f"{stem}.sql").write_text(forward)
    (directory / f"{stem}.rollback.sql").write_text(backward)
    assert lint_migrations(directory) == []
    return directory


class Retries:
    """LockRetry's hook: counts the lock timeouts and lets the test wait for the first one (no sleep)."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, int]] = []
        self.first = threading.Event()

    def __call__(self, what: str, attempt: int, exc: Exception) -> None:
        self.seen.append((what, attempt))
        self.first.set()

    def retry(self, attempts: int) -> LockRetry:
        return LockRetry(attempts=attempts, first_backoff_s=0.01, max_backoff_s=0.05, on_retry=self)


async def index_state(conn: asyncpg.Connection, name: str) -> bool | None:
    """indisvalid of the index, None when it does not exist."""
    return await conn.fetchval("SELECT i.indisvalid FROM pg_index AS i JOIN pg_class AS c ON c.oid = i.indexrelid "
                               "WHERE c.relname = $1", name)


async def test_a_concurrent_index_behind_a_conflicting_lock_is_retried_and_built_once_the_lock_goes(
        db_url, conn, tmp_path):
    directory = scratch(tmp_path, "0001_index_tasks_created_at", ONLINE_INDEX, ONLINE_INDEX_ROLLBACK)
    retries = Retries()
    holder = await asyncpg.connect(db_url)
    try:
        async with holding(holder, "LOCK TABLE tasks IN SHARE UPDATE EXCLUSIVE MODE"):  # what VACUUM/ANALYZE take
            running = asyncio.ensure_future(
                asyncio.to_thread(migrate.upgrade, db_url, directory, retry=retries.retry(attempts=200)))
            assert await asyncio.to_thread(retries.first.wait, 30), "the runner never hit lock_timeout"
            # Traffic goes on meanwhile: the index build's lock does not conflict with writes.
            user_id = await conn.fetchval(USER_ROW, "traffic@example.com")
            await conn.execute("INSERT INTO tasks (user_id, title) VALUES ($1, 'written during the retries')", user_id)
            assert not running.done()
        assert await running == ["0001_index_tasks_created_at"]
    finally:
        await holder.close()
    assert retries.seen and all("CREATE INDEX CONCURRENTLY" in what for what, _ in retries.seen)
    assert await index_state(conn, "tasks_created_at_idx") is True


async def test_a_concurrent_index_that_never_gets_its_lock_fails_cleanly_and_runs_again_later(
        db_url, conn, tmp_path):
    directory = scratch(tmp_path, "0001_index_tasks_created_at", ONLINE_INDEX, ONLINE_INDEX_ROLLBACK)
    retries = Retries()
    holder = await asyncpg.connect(db_url)
    try:
        async with holding(holder, "LOCK TABLE tasks IN SHARE UPDATE EXCLUSIVE MODE"):
            with pytest.raises(MigrationLockTimeout) as failure:
                await asyncio.to_thread(migrate.upgrade, db_url, directory, retry=retries.retry(attempts=3))
    finally:
        await holder.close()
    message = str(failure.value)
    assert "apply 0001_index_tasks_created_at: a statement could not take its lock within lock_timeout 3 times" \
        in message
    assert "long-running transaction" in message and "not recorded" in message
    assert [attempt for _, attempt in retries.seen] == [1, 2]
    assert migrate.status(db_url, directory) == [("0001_index_tasks_created_at", False)]
    assert await index_state(conn, "tasks_created_at_idx") in (None, False)  # at most an invalid leftover

    assert migrate.upgrade(db_url, directory, retry=retries.retry(attempts=3)) == ["0001_index_tasks_created_at"]
    assert await index_state(conn, "tasks_created_at_idx") is True


async def test_an_invalid_leftover_is_dropped_and_rebuilt(db_url, conn, tmp_path):
    directory = scratch(tmp_path, "0001_index_tasks_created_at", ONLINE_INDEX, ONLINE_INDEX_ROLLBACK)
    user_id = await conn.fetchval(USER_ROW, "leftover@example.com")
    await conn.execute("INSERT INTO tasks (user_id, title) VALUES ($1, 'a'), ($1, 'b')", user_id)
    # An interrupted build leaves the index INVALID; a failing unique build is the deterministic way to get one.
    with pytest.raises(asyncpg.UniqueViolationError):
        await conn.execute("CREATE UNIQUE INDEX CONCURRENTLY tasks_created_at_idx ON tasks (created_at)")
    assert await index_state(conn, "tasks_created_at_idx") is False
    assert migrate.upgrade(db_url, directory) == ["0001_index_tasks_created_at"]
    assert await index_state(conn, "tasks_created_at_idx") is True
    assert await conn.fetchval("SELECT indisunique FROM pg_index WHERE indexrelid = 'tasks_created_at_idx'::regclass") \
        is False


async def test_a_transactional_migration_is_retried_whole_and_holds_no_lock_between_attempts(
        db_url, conn, tmp_path):
    directory = scratch(tmp_path, "0001_add_tasks_note", ADD_COLUMN, ADD_COLUMN_ROLLBACK)
    retries = Retries()
    holder = await asyncpg.connect(db_url)
    try:
        async with holding(holder, "LOCK TABLE tasks IN ACCESS SHARE MODE"):  # a long reader
            running = asyncio.ensure_future(
                asyncio.to_thread(migrate.upgrade, db_url, directory, retry=retries.retry(attempts=200)))
            assert await asyncio.to_thread(retries.first.wait, 30)
            # Between attempts the migration's transaction is rolled back: a writer is not stuck behind it
            # for longer than one lock_timeout (it may wait while an attempt is queued, never for good).
            user_id = await conn.fetchval(USER_ROW, "writer@example.com")
            await conn.execute("INSERT INTO tasks (user_id, title) VALUES ($1, 'written between attempts')", user_id)
        assert await running == ["0001_add_tasks_note"]
    finally:
        await holder.close()
    assert all(what == "apply 0001_add_tasks_note" for what, _ in retries.seen)
    assert await conn.fetchval("SELECT count(*) FROM information_schema.columns "
                               "WHERE table_name = 'tasks' AND column_name = 'note'") == 1
    # SET LOCAL: nothing of the migration's settings outlives its transaction on the connection it used.
    assert migrate.rollback(db_url, 1, directory) == ["0001_add_tasks_note"]


async def test_a_transactional_migration_gives_up_with_nothing_applied(db_url, conn, tmp_path):
    directory = scratch(tmp_path, "0001_add_tasks_note", ADD_COLUMN, ADD_COLUMN_ROLLBACK)
    retries = Retries()
    holder = await asyncpg.connect(db_url)
    try:
        async with holding(holder, "LOCK TABLE tasks IN ACCESS SHARE MODE"):
            waiter = asyncio.ensure_future(wait_for_waiters(conn))  # observed: the migration queued on the lock
            with pytest.raises(MigrationLockTimeout, match="Nothing of this apply was done"):
                await asyncio.to_thread(migrate.upgrade, db_url, directory, retry=retries.retry(attempts=2))
            assert await waiter
    finally:
        await holder.close()
    assert len(retries.seen) == 1
    assert await conn.fetchval("SELECT count(*) FROM information_schema.columns "
                               "WHERE table_name = 'tasks' AND column_name = 'note'") == 0


def test_db_new_concurrent_writes_the_online_template(tmp_path):
    (tmp_path / "0112_last.sql").write_text("-- 0112_last\n-- depends:\nSET lock_timeout = '5s';\n"
                                            "SET statement_timeout = '60s';\n")
    (tmp_path / "0112_last.rollback.sql").write_text("SET lock_timeout = '5s';\n")
    forward, backward = migrate.new("index_things", tmp_path, concurrent=True)
    assert forward.name == "0113_index_things.sql"  # numbered after the newest, not by count
    text = forward.read_text()
    for line in ("-- depends: 0112_last", "-- transactional: false", "-- squawk-disable-assume-in-transaction",
                 "SET lock_timeout = '2s';", "DROP INDEX CONCURRENTLY IF EXISTS", "SET statement_timeout = 0;",
                 "CREATE INDEX CONCURRENTLY IF NOT EXISTS"):
        assert line in text
    assert text.index("DROP INDEX CONCURRENTLY") < text.index("CREATE INDEX CONCURRENTLY")
    assert "DROP INDEX CONCURRENTLY IF EXISTS" in backward.read_text()
    assert lint_migrations(tmp_path) == []

    plain, _ = migrate.new("add_things", tmp_path)
    assert plain.name == "0114_add_things.sql" and "SET LOCAL lock_timeout" in plain.read_text()
    assert lint_migrations(tmp_path) == []
