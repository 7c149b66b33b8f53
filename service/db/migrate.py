"""yoyo migrations: apply, roll back, status.

yoyo is synchronous and talks through psycopg 3; async callers use
``asyncio.to_thread``.  Only migrations live in ``migrations/``: yoyo
applies every ``.sql`` file there, with ``NNNN_name.rollback.sql`` as the
inverse of ``NNNN_name.sql``.

Lock-timeout retries (GitLab's ``with_lock_retries`` is the model): every
migration sets a short ``lock_timeout``, so a statement that waits behind a
long transaction fails with ``lock_not_available`` (55P03) instead of
queueing every later query of the table behind it.  The runner then waits
(exponential backoff) and tries again, ``LockRetry.attempts`` times in all,
then stops with ``MigrationLockTimeout`` naming the migration and what to
look at.  A transactional migration is retried whole (its transaction is
rolled back, so it holds no lock while it waits); in a non-transactional
one (``-- transactional: false``) each statement is its own transaction and
the statement that timed out is retried alone, the ones before it staying
done.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import psycopg
from yoyo import read_migrations
from yoyo.backends import DatabaseBackend
from yoyo.backends.core.postgresql import PostgresqlPsycopgBackend
from yoyo.connections import parse_uri
from yoyo.migrations import Migration

from service.config import PROJECT_ROOT

MIGRATIONS_DIR = PROJECT_ROOT / "migrations"
log = logging.getLogger("service.migrate")


@dataclass(frozen=True)
class LockRetry:
    """How often and how patiently a statement that hit ``lock_timeout`` is tried again."""

    attempts: int = 5  # tries in all, the first included
    first_backoff_s: float = 1.0  # wait after the first timeout; doubled after each further one
    max_backoff_s: float = 30.0
    on_retry: Callable[[str, int, Exception], None] | None = None  # (what, failed attempt, error): tests observe
    on_statement: Callable[[str, float], None] | None = None  # (statement, seconds) after each one that ran

    def backoff(self, attempt: int) -> float:
        return min(self.first_backoff_s * 2 ** (attempt - 1), self.max_backoff_s)

    def waited(self, what: str, attempt: int, exc: Exception) -> None:
        delay = self.backoff(attempt)
        log.warning("%s: lock_timeout on attempt %d of %d (%s); trying again in %.1f s", what, attempt,
                    self.attempts, str(exc).strip(), delay)
        if self.on_retry:
            self.on_retry(what, attempt, exc)
        time.sleep(delay)


class MigrationLockTimeout(RuntimeError):
    """A migration's statement could not take its lock within lock_timeout, ``LockRetry.attempts`` times."""


def _gave_up(migration: Migration, direction: str, retry: LockRetry, exc: Exception) -> MigrationLockTimeout:
    transactional = migration.use_transactions
    return MigrationLockTimeout(
        f"{direction} {migration.id}: a statement could not take its lock within lock_timeout "
        f"{retry.attempts} times (waiting {', '.join(f'{retry.backoff(a):g}s' for a in range(1, retry.attempts))} "
        f"in between): another session holds a conflicting lock, most often a long-running transaction "
        f"(look in pg_stat_activity for old xact_start, and pg_locks). "
        + (f"Nothing of this {direction} was done (it is transactional); run it again once that transaction "
           "has ended." if transactional else
           f"The statements before the one that timed out stay done (non-transactional) and the {direction} is "
           "not recorded: run it again once that transaction has ended (the online template's statements can "
           "run again).")
        + f" Last error: {str(exc).strip()}")


class _RetryingCursor:
    """A psycopg cursor whose ``execute`` retries a lock timeout when it runs outside a transaction (a
    statement inside one is retried with its whole migration, by ``_run``), and reports each duration."""

    def __init__(self, cursor: Any, retry: LockRetry, retrying: bool) -> None:
        self._cursor = cursor
        self._retry = retry
        self._attempts = retry.attempts if retrying else 1

    def execute(self, query: Any, params: Any = None) -> Any:
        text = " ".join(str(query).split())
        for attempt in range(1, self._attempts + 1):
            started = time.perf_counter()
            try:
                result = self._cursor.execute(query, params)
            except psycopg.errors.LockNotAvailable as exc:
                if attempt == self._attempts:
                    raise
                self._retry.waited(text[:80], attempt, exc)
                continue
            if self._retry.on_statement:
                self._retry.on_statement(text, time.perf_counter() - started)
            return result
        raise AssertionError("unreachable")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cursor, name)


class _Backend(PostgresqlPsycopgBackend):
    """yoyo's psycopg 3 backend whose statements outside a transaction (a non-transactional migration's)
    retry a lock timeout.  ``copy()`` (a connection per migration) keeps the class, hence ``retry``."""

    retry = LockRetry()

    def cursor(self) -> Any:
        return _RetryingCursor(super().cursor(), self.retry, retrying=not self._in_transaction)


def yoyo_url(dsn: str, env: str | None = None) -> str:
    """yoyo picks its driver from the scheme: postgresql+psycopg means psycopg 3.

    With ``env`` other than development, every migration connection starts
    with the custom setting ``service.env`` (``options=-c service.env=<env>``,
    passed on by yoyo to psycopg): a migration reads it with
    ``current_setting('service.env', true)`` to fail in production where it
    would only warn in development (0082: a role it cannot create).  In
    development nothing is added (an unset ``service.env`` reads as NULL), so
    the URL stays usable through poolers that refuse the ``options`` parameter.
    """
    scheme, rest = dsn.split("://", 1)
    url = f"postgresql+psycopg://{rest}" if scheme in ("postgres", "postgresql") else dsn
    if env is None or env == "development":
        return url
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query["options"] = (query.get("options", "") + f" -c service.env={env}").strip()
    return urlunsplit(parts._replace(query=urlencode(query)))


@contextmanager
def _backend(dsn: str, env: str | None = None, retry: LockRetry | None = None) -> Iterator[DatabaseBackend]:
    url = yoyo_url(dsn, env)
    if not url.startswith("postgresql+psycopg://"):
        raise ValueError("migrations run on PostgreSQL (postgresql:// URLs)")
    backend_class = type("_Backend", (_Backend,), {"retry": retry or LockRetry()})
    backend = backend_class(parse_uri(url), "_yoyo_migration")
    backend.init_database()
    try:
        yield backend
    finally:
        backend.connection.close()


def _run(backend: DatabaseBackend, migration: Migration, direction: str, retry: LockRetry) -> None:
    """Apply or roll back one migration; a transactional one is retried whole after a lock timeout."""
    migration.load()
    step = backend.apply_one if direction == "apply" else backend.rollback_one
    for attempt in range(1, retry.attempts + 1):
        try:
            step(migration)
            return
        except psycopg.errors.LockNotAvailable as exc:
            if not migration.use_transactions or attempt == retry.attempts:
                raise _gave_up(migration, direction, retry, exc) from exc
            retry.waited(f"{direction} {migration.id}", attempt, exc)


def migration_ids(directory: Path = MIGRATIONS_DIR) -> list[str]:
    return [m.id for m in read_migrations(str(directory))]


def upgrade(dsn: str, directory: Path = MIGRATIONS_DIR, *, env: str | None = None,
            retry: LockRetry | None = None, to: str | None = None) -> list[str]:
    """Apply every pending migration (``to``: only up to and including that one, in order), under
    yoyo's lock; return the ids applied.  An unknown ``to`` raises LookupError before anything runs;
    a ``to`` already applied applies nothing (going back is ``rollback --to``)."""
    retry = retry or LockRetry()
    with _backend(dsn, env, retry) as backend, backend.lock():
        migrations = read_migrations(str(directory))
        pending = backend.to_apply(migrations)
        if to is not None:
            if to not in {m.id for m in migrations}:
                raise LookupError(f"no migration {to!r} in {directory.name}/")
            ids = [m.id for m in pending]
            keep = set(ids[:ids.index(to) + 1]) if to in ids else set()
            pending = pending.filter(lambda m: m.id in keep)
        for migration in pending:
            _run(backend, migration, "apply", retry)
        return [m.id for m in pending]


def rollback(dsn: str, count: int | None = 1, directory: Path = MIGRATIONS_DIR, *,
             env: str | None = None, retry: LockRetry | None = None) -> list[str]:
    """Roll back the newest ``count`` applied migrations (None: all of them; ``db rollback --to X``
    passes the number applied after X)."""
    retry = retry or LockRetry()
    with _backend(dsn, env, retry) as backend, backend.lock():
        applied = backend.to_rollback(read_migrations(str(directory)))
        chosen = applied if count is None else applied[:count]
        backend.ensure_internal_schema_updated()
        for migration in chosen:
            _run(backend, migration, "rollback", retry)
        return [m.id for m in chosen]


def to_roll_back(dsn: str, count: int | None = 1, directory: Path = MIGRATIONS_DIR) -> list[str]:
    """The ids ``rollback(dsn, count)`` would roll back now, newest first (the guard reads their files)."""
    with _backend(dsn) as backend:
        applied = backend.to_rollback(read_migrations(str(directory)))
        return [m.id for m in (applied if count is None else applied[:count])]


def rollback_file(migration_id: str, directory: Path = MIGRATIONS_DIR) -> Path:
    return directory / f"{migration_id}.rollback.sql"


def apply_one(dsn: str, migration_id: str, directory: Path = MIGRATIONS_DIR) -> None:
    """Apply one pending migration by id (the round-trip test steps through them one by one)."""
    with _backend(dsn) as backend, backend.lock():
        chosen = backend.to_apply(read_migrations(str(directory))).filter(lambda m: m.id == migration_id)
        if len(chosen) != 1:
            raise LookupError(f"{migration_id} is not a pending migration")
        _run(backend, chosen[0], "apply", backend.retry)


def rollback_one(dsn: str, migration_id: str, directory: Path = MIGRATIONS_DIR) -> None:
    """Roll back one applied migration by id."""
    with _backend(dsn) as backend, backend.lock():
        chosen = backend.to_rollback(read_migrations(str(directory))).filter(lambda m: m.id == migration_id)
        if len(chosen) != 1:
            raise LookupError(f"{migration_id} is not an applied migration")
        backend.ensure_internal_schema_updated()
        _run(backend, chosen[0], "rollback", backend.retry)


def status(dsn: str, directory: Path = MIGRATIONS_DIR) -> list[tuple[str, bool]]:
    """(migration id, applied?) for every migration file, in order."""
    with _backend(dsn) as backend:
        migrations = read_migrations(str(directory))
        return [(m.id, backend.is_applied(m)) for m in migrations]


NEW_MIGRATION = """-- {name}
-- What this changes and why.  Transactional: every SET below is LOCAL (ends with the
-- migration's transaction), so nothing leaks into a pooled connection.
-- depends: {depends}
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '60s';
SET LOCAL search_path = public, pg_catalog;

"""

NEW_ROLLBACK = """-- Rollback of {name}.
SET LOCAL lock_timeout = '5s';
SET LOCAL search_path = public, pg_catalog;

"""

NEW_CONCURRENT_MIGRATION = """-- {name}
-- What this changes and why.  Online schema change on an existing table: non-transactional
-- (each statement commits on its own; PostgreSQL refuses CONCURRENTLY in a transaction), so
-- the settings are plain SETs on the migration's own connection.  The runner retries a
-- statement that hits lock_timeout (with backoff, a bounded number of times; then it fails
-- with a message saying what holds the lock).  Every statement can be run again after an
-- interrupted run.  See README, "Online schema change".
-- depends: {depends}
-- transactional: false
-- squawk-disable-assume-in-transaction
SET lock_timeout = '2s';
SET statement_timeout = '60s';
SET search_path = public, pg_catalog;

-- An interrupted earlier run leaves the index behind INVALID (a failed CREATE INDEX
-- CONCURRENTLY): drop it, so that IF NOT EXISTS below does not keep a broken index.
DROP INDEX CONCURRENTLY IF EXISTS TABLE_COLUMNS_idx;

-- The build reads the whole table: no statement_timeout for it (lock_timeout still bounds
-- its waits for locks).
SET statement_timeout = 0;
CREATE INDEX CONCURRENTLY IF NOT EXISTS TABLE_COLUMNS_idx ON TABLE_NAME (COLUMNS);
SET statement_timeout = '60s';

-- A CHECK or FOREIGN KEY on an existing table: added NOT VALID (a brief lock, no scan), then
-- validated under SHARE UPDATE EXCLUSIVE (reads and writes go on), with no statement_timeout:
-- ALTER TABLE TABLE_NAME ADD CONSTRAINT TABLE_WHAT_chk CHECK (...) NOT VALID;
-- SET statement_timeout = 0;
-- ALTER TABLE TABLE_NAME VALIDATE CONSTRAINT TABLE_WHAT_chk;
-- SET statement_timeout = '60s';
"""

NEW_CONCURRENT_ROLLBACK = """-- Rollback of {name} (non-transactional too: the forward file's header decides).
SET lock_timeout = '2s';
SET search_path = public, pg_catalog;

DROP INDEX CONCURRENTLY IF EXISTS TABLE_COLUMNS_idx;
"""


def new(name: str, directory: Path = MIGRATIONS_DIR, *, concurrent: bool = False) -> tuple[Path, Path]:
    """Create ``NNNN_<name>.sql`` and its rollback, numbered after and depending on the newest migration.

    ``concurrent``: the online template (CREATE INDEX CONCURRENTLY, NOT VALID + VALIDATE) to edit:
    replace TABLE_NAME, COLUMNS and the index name.
    """
    if not name.replace("_", "").isalnum():
        raise ValueError("a migration name is letters, digits and underscores")
    ids = migration_ids(directory)
    numbers = [int(m.group(1)) for i in ids if (m := re.match(r"^(\d+)_", i))]
    number = max(numbers, default=0) + 1
    stem = f"{number:04d}_{name.lower()}"
    forward = directory / f"{stem}.sql"
    backward = directory / f"{stem}.rollback.sql"
    templates = (NEW_CONCURRENT_MIGRATION, NEW_CONCURRENT_ROLLBACK) if concurrent else (NEW_MIGRATION, NEW_ROLLBACK)
    forward.write_text(templates[0].format(name=stem, depends=ids[-1] if ids else ""))
    backward.write_text(templates[1].format(name=stem))
    return forward, backward
