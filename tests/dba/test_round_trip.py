"""Every migration is undone exactly by its rollback, one at a time, in order."""

from __future__ import annotations

import difflib

import asyncpg

from service.db import migrate
from service.dba import catalog, snapshot
from tests.conftest import createdb, dropdb


async def schema(dsn: str) -> str:
    return snapshot.render(await catalog.read_catalog_at(dsn))


def _diff(a: str, b: str) -> str:
    return "".join(difflib.unified_diff(a.splitlines(True), b.splitlines(True), "before", "after rollback"))


# Migrations that change privileges only: their GRANT lines are in the snapshot (issue #13 §5); the
# privilege itself is also checked through has_table_privilege.
PRIVILEGES_ONLY = {"0082_grant_service_app_role"}
# Migrations that drop a column: their rollback adds it back at the end of the table, so the schema
# is the same up to column order (compared as sorted lines).
DROPS_A_COLUMN = {"0110_chat_owner_single_source"}


async def app_role_can_read_users(dsn: str) -> bool:
    conn = await asyncpg.connect(dsn)
    try:
        return await conn.fetchval("SELECT has_table_privilege('service_app', 'users', 'SELECT')")
    finally:
        await conn.close()


async def test_each_migration_applies_rolls_back_to_the_same_schema_and_applies_again(server_dsn):
    dsn = createdb(server_dsn, "dba_round_trip")
    try:
        for migration_id in migrate.migration_ids():
            before = await schema(dsn)
            migrate.apply_one(dsn, migration_id)
            applied = await schema(dsn)
            assert applied != before, f"{migration_id} changes nothing in the schema"
            if migration_id in PRIVILEGES_ONLY:
                assert "TO service_app;" in applied and await app_role_can_read_users(dsn)
            migrate.rollback_one(dsn, migration_id)
            after = await schema(dsn)
            if migration_id in PRIVILEGES_ONLY:
                assert not await app_role_can_read_users(dsn), f"rolling back {migration_id} leaves the grants"
            if migration_id in DROPS_A_COLUMN:
                before, after = "\n".join(sorted(before.splitlines())), "\n".join(sorted(after.splitlines()))
            assert after == before, f"rolling back {migration_id} does not restore the schema:\n{_diff(before, after)}"
            migrate.apply_one(dsn, migration_id)
            assert await schema(dsn) == applied, f"{migration_id} applied twice builds something else"
        assert await schema(dsn) == snapshot.read_snapshot()
    finally:
        dropdb(server_dsn, "dba_round_trip")
