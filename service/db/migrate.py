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
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from yoyo import get_backend, read_migrations
from yoyo.backends import DatabaseBackend

from service.config import PROJECT_ROOT

MIGRATIONS_DIR = PROJECT_ROOT / "migrations"


def yoyo_url(dsn: str, env: str | None = None) -> str:
    """yoyo picks its driver from the scheme: postgresql+psycopg means psycopg 3.

    With ``env``, every migration connection starts with the custom setting
    ``service.env`` (``options=-c service.env=<env>``, passed on by yoyo to
    psycopg): a migration reads it with ``current_setting('service.env', true)``
    to fail in production where it would only warn in development (0082: a
    role it cannot create).
    """
    scheme, rest = dsn.split("://", 1)
    url = f"postgresql+psycopg://{rest}" if scheme in ("postgres", "postgresql") else dsn
    if env is None:
        return url
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query["options"] = (query.get("options", "") + f" -c service.env={env}").strip()
    return urlunsplit(parts._replace(query=urlencode(query)))


@contextmanager
def _backend(dsn: str, env: str | None = None) -> Iterator[DatabaseBackend]:
    backend = get_backend(yoyo_url(dsn, env))
    try:
        yield backend
    finally:
        backend.connection.close()


def migration_ids(directory: Path = MIGRATIONS_DIR) -> list[str]:
    return [m.id for m in read_migrations(str(directory))]


def upgrade(dsn: str, directory: Path = MIGRATIONS_DIR, *, env: str | None = None) -> list[str]:
    """Apply every pending migration, under yoyo's lock; return the ids applied."""
    with _backend(dsn, env) as backend, backend.lock():
        pending = backend.to_apply(read_migrations(str(directory)))
        backend.apply_migrations(pending)
        return [m.id for m in pending]


def rollback(dsn: str, count: int | None = 1, directory: Path = MIGRATIONS_DIR, *,
             env: str | None = None) -> list[str]:
    """Roll back the newest ``count`` applied migrations (None: all of them)."""
    with _backend(dsn, env) as backend, backend.lock():
        applied = backend.to_rollback(read_migrations(str(directory)))
        chosen = applied if count is None else applied[:count]
        backend.rollback_migrations(chosen)
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
