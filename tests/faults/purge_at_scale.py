"""Retention purge at scale: how long each batch takes on a large table (figures for the README).

    python -m tests.faults.purge_at_scale [--rows 1000000] [--batch 1000]

A throwaway PostgreSQL (temporary folder), migrated; ``rows`` audit rows of which half are past
AUDIT_RETENTION_DAYS (plus ``rows / 10`` expired sessions); then the audit_log and auth_sessions
jobs run to completion through ``service.jobs.runner``, timing every batch.  Prints rows purged,
batches, total seconds and the slowest batch: a batch is one short transaction, never one long
statement."""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import msgspec

from service.config import load_settings
from service.db import migrate
from service.db.embedded import EmbeddedPostgres
from service.db.pool import create_pool
from service.jobs import runner
from service.jobs.registry import JOBS


async def measure(dsn: str, rows: int, batch: int) -> None:
    settings = msgspec.structs.replace(load_settings(environ={}, database_url=dsn), jobs_batch_size=batch)
    pool = await create_pool(settings, dsn)
    try:
        async with pool.acquire() as conn:
            started = time.perf_counter()
            await conn.execute(
                "INSERT INTO audit_log (event, details, created_at) "
                "SELECT 'login', '{}'::jsonb, now() - make_interval(days => 800) + g * interval '1 second' * "
                "(800 * 86400 / $1::int) FROM generate_series(1, $1::int) AS g", rows)
            await conn.execute(
                "INSERT INTO users (email, auth_provider, auth_provider_id) VALUES ('s@example.com', 't', 's')")
            await conn.execute(
                "INSERT INTO auth_sessions (user_id, token_hash, created_at, expires_at) "
                "SELECT (SELECT id FROM users), sha256(g::text::bytea), now() - interval '200 days', "
                "now() - interval '100 days' FROM generate_series(1, $1::int) AS g", rows // 10)
            await conn.execute("VACUUM ANALYZE audit_log")
            await conn.execute("VACUUM ANALYZE auth_sessions")
            print(f"filled {rows:,} audit rows and {rows // 10:,} sessions in {time.perf_counter() - started:.1f} s")
        for name in ("audit_log", "auth_sessions"):
            durations: list[float] = []
            original = runner.run_batch

            async def timed(*args: object, _orig=original, _d=durations) -> int | None:
                t0 = time.perf_counter()
                try:
                    return await _orig(*args)  # type: ignore[arg-type]
                finally:
                    _d.append(time.perf_counter() - t0)

            runner.run_batch = timed  # type: ignore[assignment]
            try:
                t0 = time.perf_counter()
                purged = 0
                while True:  # a run stops after MAX_BATCHES_PER_RUN; the next run goes on
                    outcome = await runner.run_job(pool, settings, JOBS[name])
                    purged += outcome.purged
                    if outcome.purged < runner.MAX_BATCHES_PER_RUN * batch:
                        break
                total = time.perf_counter() - t0
            finally:
                runner.run_batch = original  # type: ignore[assignment]
            print(f"{name}: {purged:,} rows in {len(durations):,} batches of {batch:,}, {total:.1f} s; batch median "
                  f"{statistics.median(durations) * 1000:.1f} ms, slowest {max(durations) * 1000:.1f} ms")
    finally:
        await pool.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=1000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="purge-scale-"))
    server = EmbeddedPostgres(folder / "pg", fast_unsafe=True)
    dsn = server.start()
    try:
        migrate.upgrade(dsn)
        asyncio.run(measure(dsn, args.rows, args.batch))
    finally:
        server.destroy()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
