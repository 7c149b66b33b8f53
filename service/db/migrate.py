"""yoyo migrations: apply, roll back, status.

yoyo is synchronous and talks through psycopg 3; async callers use
``asyncio.to_thread``.  Only migrations live in ``migrations/``: yoyo
applies every ``.sql`` file there, with ``NNNN_name.rollback.sql`` as the
inverse of ``NNNN_name.sql``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from yoyo import get_backend, read_migrations
from yoyo.backends import DatabaseBackend

from service.config import PROJECT_ROOT

MIGRATIONS_DIR = PROJECT_ROOT / "migrations"


def yoyo_url(dsn: str) -> str:
    """yoyo picks its driver from the scheme: postgresql+psycopg means psycopg 3."""
    scheme, rest = dsn.split("://", 1)
    return f"postgresql+psycopg://{rest}" if scheme in ("postgres", "postgresql") else dsn


@contextmanager
def _backend(dsn: str) -> Iterator[DatabaseBackend]:
    backend = get_backend(yoyo_url(dsn))
    try:
        yield backend
    finally:
        backend.connection.close()


def migration_ids(directory: Path = MIGRATIONS_DIR) -> list[str]:
    return [m.id for m in read_migrations(str(directory))]


def upgrade(dsn: str, directory: Path = MIGRATIONS_DIR, to: str | None = None) -> list[str]:
    """Apply every pending migration (``to``: only up to and including that one, in order), under
    yoyo's lock; return the ids applied.  An unknown ``to`` raises LookupError before anything runs;
    a ``to`` already applied applies nothing (going back is ``rollback --to``)."""
    with _backend(dsn) as backend, backend.lock():
        migrations = read_migrations(str(directory))
        pending = backend.to_apply(migrations)
        if to is not None:
            if to not in {m.id for m in migrations}:
                raise LookupError(f"no migration {to!r} in {directory.name}/")
            ids = [m.id for m in pending]
            keep = set(ids[:ids.index(to) + 1]) if to in ids else set()
            pending = pending.filter(lambda m: m.id in keep)
        backend.apply_migrations(pending)
        return [m.id for m in pending]


def rollback(dsn: str, count: int | None = 1, directory: Path = MIGRATIONS_DIR, to: str | None = None) -> list[str]:
    """Roll back the newest ``count`` applied migrations (None: all of them); with ``to``, every
    migration applied after that one (which stays applied; LookupError if it is not applied)."""
    with _backend(dsn) as backend, backend.lock():
        applied = backend.to_rollback(read_migrations(str(directory)))
        if to is not None:
            ids = [m.id for m in applied]  # newest first
            if to not in ids:
                raise LookupError(f"{to!r} is not an applied migration")
            newer = set(ids[:ids.index(to)])
            chosen = applied.filter(lambda m: m.id in newer)
        else:
            chosen = applied if count is None else applied[:count]
        backend.rollback_migrations(chosen)
        return [m.id for m in chosen]


def apply_one(dsn: str, migration_id: str, directory: Path = MIGRATIONS_DIR) -> None:
    """Apply one pending migration by id (the round-trip test steps through them one by one)."""
    with _backend(dsn) as backend, backend.lock():
        chosen = backend.to_apply(read_migrations(str(directory))).filter(lambda m: m.id == migration_id)
        if len(chosen) != 1:
            raise LookupError(f"{migration_id} is not a pending migration")
        backend.apply_migrations(chosen)


def rollback_one(dsn: str, migration_id: str, directory: Path = MIGRATIONS_DIR) -> None:
    """Roll back one applied migration by id."""
    with _backend(dsn) as backend, backend.lock():
        chosen = backend.to_rollback(read_migrations(str(directory))).filter(lambda m: m.id == migration_id)
        if len(chosen) != 1:
            raise LookupError(f"{migration_id} is not an applied migration")
        backend.rollback_migrations(chosen)


def status(dsn: str, directory: Path = MIGRATIONS_DIR) -> list[tuple[str, bool]]:
    """(migration id, applied?) for every migration file, in order."""
    with _backend(dsn) as backend:
        migrations = read_migrations(str(directory))
        return [(m.id, backend.is_applied(m)) for m in migrations]


NEW_MIGRATION = """-- {name}
-- depends: {depends}
SET lock_timeout = '5s';
SET statement_timeout = '60s';

"""

NEW_ROLLBACK = """-- Rollback of {name}.
SET lock_timeout = '5s';

"""


def new(name: str, directory: Path = MIGRATIONS_DIR) -> tuple[Path, Path]:
    """Create ``NNNN_<name>.sql`` and its rollback, depending on the newest migration."""
    if not name.replace("_", "").isalnum():
        raise ValueError("a migration name is letters, digits and underscores")
    ids = migration_ids(directory)
    number = len(ids) + 1
    stem = f"{number:04d}_{name.lower()}"
    forward = directory / f"{stem}.sql"
    backward = directory / f"{stem}.rollback.sql"
    forward.write_text(NEW_MIGRATION.format(name=stem, depends=ids[-1] if ids else ""))
    backward.write_text(NEW_ROLLBACK.format(name=stem))
    return forward, backward
