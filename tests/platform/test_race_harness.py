"""The race harness observes the interleaving it was asked for, and says so when it does not happen."""

from __future__ import annotations

import asyncpg
import pytest

from tests.race import holding, started_and_blocked


async def test_a_statement_waits_for_the_lock_held_by_b(db_url: str, conn: asyncpg.Connection) -> None:
    await conn.execute("CREATE TABLE race_probe (id int PRIMARY KEY, n int NOT NULL)")
    await conn.execute("INSERT INTO race_probe VALUES (1, 0)")
    a, b = await asyncpg.connect(db_url), await asyncpg.connect(db_url)
    try:
        async with holding(b, "SELECT n FROM race_probe WHERE id = 1 FOR UPDATE"):
            task = await started_and_blocked(conn, a.execute("UPDATE race_probe SET n = n + 1 WHERE id = 1"),
                                              exclude=(b.get_server_pid(),))
            assert not task.done()
            await b.execute("UPDATE race_probe SET n = n + 10 WHERE id = 1")
            await b.execute("COMMIT")
        assert await task == "UPDATE 1"
        assert await conn.fetchval("SELECT n FROM race_probe WHERE id = 1") == 11
    finally:
        await a.close()
        await b.close()


async def test_a_statement_that_never_blocks_fails_the_test(db_url: str, conn: asyncpg.Connection) -> None:
    a = await asyncpg.connect(db_url)
    try:
        with pytest.raises(AssertionError, match="did not block"):
            await started_and_blocked(conn, a.fetchval("SELECT 1"))
    finally:
        await a.close()
