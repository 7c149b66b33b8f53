"""Migrations: full round trip, per-file rules, ``db new``."""

from __future__ import annotations

import re

import asyncpg

from service.db import migrate
from service.db.platform_repo import schema_objects
from service.db.pool import init_connection

FORWARD = sorted(p for p in migrate.MIGRATIONS_DIR.glob("*.sql") if not p.name.endswith(".rollback.sql"))


async def snapshot(dsn: str) -> list[tuple[str, str, str]]:
    conn = await asyncpg.connect(dsn)
    await init_connection(conn)
    try:
        return [(o.kind, o.name, o.definition) for o in await schema_objects(conn)]
    finally:
        await conn.close()


async def test_upgrade_rollback_everything_upgrade_gives_the_same_schema(db_url):
    before = await snapshot(db_url)
    assert any(kind == "column" and name == "users.email" for kind, name, _ in before)
    rolled = migrate.rollback(db_url, None)
    assert len(rolled) == len(FORWARD)
    assert await snapshot(db_url) == []
    migrate.upgrade(db_url)
    assert await snapshot(db_url) == before


def test_every_migration_has_a_rollback_and_sets_timeouts():
    for path in FORWARD:
        assert path.with_name(path.stem + ".rollback.sql").exists(), f"{path.name} has no rollback"
        head = path.read_text()
        assert re.search(r"^SET lock_timeout = ", head, re.M), f"{path.name} does not set lock_timeout"
        assert re.search(r"^SET statement_timeout = ", head, re.M), f"{path.name} does not set statement_timeout"
        assert re.match(r"^\d{4}_[a-z0-9_]+\.sql$", path.name), f"{path.name} breaks NNNN_<verb>_<what>.sql"


def test_migrations_apply_in_file_order_and_depend_only_on_earlier_ones():
    ids = migrate.migration_ids()
    assert ids == [p.stem for p in FORWARD]
    for index, path in enumerate(FORWARD):
        depends = re.search(r"^-- depends:(.*)$", path.read_text(), re.M)
        assert depends, f"{path.name} has no '-- depends:' header"
        for dependency in depends.group(1).split():
            assert dependency in ids[:index], f"{path.name} depends on {dependency}, which is not earlier"
        if index:
            assert depends.group(1).split(), f"{path.name} must name what it depends on"


def test_db_new_creates_a_migration_and_its_rollback(tmp_path):
    for path in FORWARD[:2]:
        (tmp_path / path.name).write_text(path.read_text())
    forward, backward = migrate.new("add_things", tmp_path)
    assert forward.name == "0003_add_things.sql"
    assert backward.name == "0003_add_things.rollback.sql"
    assert f"-- depends: {FORWARD[1].stem}" in forward.read_text()
    assert "SET LOCAL lock_timeout" in forward.read_text()  # transactional: nothing leaks into a pool
