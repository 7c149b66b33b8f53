"""Online schema change under load (issue #13 §4): ``python -m tests.faults.online_migration``.

On the bench data set (``--users 2500``: 1,000,000 messages) with the service running as in production
(``service/bench/runner.py``: SERVICE_ENV=production, a ``service_app`` member) and k6 running the bench's
mixed load (``tests/load/mix.js``), it applies from a scratch migrations folder (not the product's), with the
project's runner (``service/db/migrate.py``): an index on ``messages`` (CREATE INDEX CONCURRENTLY), a CHECK
added NOT VALID then VALIDATEd, a nullable column with a default; then rolls them back. Printed: failed
requests and p99 of the k6 runs before / during / after, and each statement's lock wait (sampled from
pg_stat_activity every 10 ms) and duration. Then again under a long transaction that holds a conflicting lock
(SHARE UPDATE EXCLUSIVE on messages, what a manual VACUUM or ANALYZE takes): the runner retries and fails
cleanly, and the traffic is measured the same way.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import tempfile
import threading
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import asyncpg

from service.bench import dataset, runner, scenarios
from service.config import load_settings
from service.db import migrate
from service.db.embedded import EmbeddedPostgres

APP_NAME = "online-migration"
HEAD = "-- {name}\n-- depends: {depends}\n{extra}SET lock_timeout = '2s';\nSET statement_timeout = '60s';\n" \
       "SET search_path = public, pg_catalog;\n\n"
ONLINE = "-- transactional: false\n-- squawk-disable-assume-in-transaction\n"
MIGRATIONS = [
    ("0001_index_messages_created_at", ONLINE,
     "DROP INDEX CONCURRENTLY IF EXISTS messages_created_at_idx;\nSET statement_timeout = 0;\n"
     "CREATE INDEX CONCURRENTLY IF NOT EXISTS messages_created_at_idx ON messages (created_at);\n"
     "SET statement_timeout = '60s';\n",
     "SET lock_timeout = '2s';\nDROP INDEX CONCURRENTLY IF EXISTS messages_created_at_idx;\n"),
    ("0002_check_messages_content_length", ONLINE,
     "ALTER TABLE messages ADD CONSTRAINT messages_content_length_chk CHECK (char_length(content) <= 100000) "
     "NOT VALID;\nSET statement_timeout = 0;\nALTER TABLE messages VALIDATE CONSTRAINT messages_content_length_chk;\n"
     "SET statement_timeout = '60s';\n",
     "SET lock_timeout = '2s';\nALTER TABLE messages DROP CONSTRAINT IF EXISTS messages_content_length_chk;\n"),
    ("0003_add_messages_pinned", "",
     "ALTER TABLE messages ADD COLUMN pinned boolean DEFAULT false;\n",
     "SET lock_timeout = '2s';\nALTER TABLE messages DROP COLUMN IF EXISTS pinned;\n"),
]


def write_migrations(folder: Path) -> None:
    depends = ""
    for name, extra, body, rollback in MIGRATIONS:
        (folder / f"{name}.sql").write_text(HEAD.format(name=name, depends=depends, extra=extra) + body)
        (folder / f"{name}.rollback.sql").write_text(rollback)
        depends = name


class Sampler:
    """Every 10 ms: the migration connection's current statement and whether it waits on a lock."""

    def __init__(self, dsn: str) -> None:
        self.dsn = dsn
        self.lock_wait: dict[str, float] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=lambda: asyncio.run(self._run()), daemon=True)

    async def _run(self) -> None:
        conn = await asyncpg.connect(self.dsn)
        try:
            last = time.perf_counter()
            while not self.stop.is_set():
                rows = await conn.fetch("SELECT query, wait_event_type FROM pg_stat_activity "
                                        "WHERE application_name = $1 AND state = 'active'", APP_NAME)
                now = time.perf_counter()
                for r in rows:
                    if r["wait_event_type"] == "Lock":
                        key = " ".join(r["query"].split())
                        self.lock_wait[key] = self.lock_wait.get(key, 0.0) + (now - last)
                last = now
                await asyncio.sleep(0.01)
        finally:
            await conn.close()


def k6_phase(name: str, base: str, users_file: Path, clients: int, seconds: float, out: Path,
             variables: dict[str, int]) -> dict[str, Any]:
    mix = scenarios.by_name(["mix"])[0]
    summary, _ = runner.run_k6(mix, base, users_file, clients, seconds, 10_000_000, out / f"{name}.k6.json",
                                variables)
    m = summary["metrics"]
    return {"phase": name, "requests": int(m["http_reqs"]["values"]["count"]),
            "failed": int(m.get("http_req_failed", {}).get("values", {}).get("passes", 0)),
            "p50_ms": round(m["http_req_duration"]["values"]["med"], 1),
            "p99_ms": round(m["http_req_duration"]["values"]["p(99)"], 1)}


def during(name: str, base: str, users_file: Path, clients: int, seconds: float, out: Path,
           variables: dict[str, int], work: Any) -> tuple[dict[str, Any], Any, float]:
    """k6 for ``seconds``; ``work()`` starts 2 s in (in this thread); (k6 figures, work's result, its seconds)."""
    result: dict[str, Any] = {}
    k6 = threading.Thread(target=lambda: result.update(k6_phase(name, base, users_file, clients, seconds, out,
                                                                variables)))
    k6.start()
    time.sleep(2)  # let the load settle before the schema change starts (a demonstration, not a test)
    started = time.perf_counter()
    try:
        outcome = work()
    except Exception as exc:
        outcome = exc
    elapsed = time.perf_counter() - started
    k6.join()
    return result, outcome, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=2500, help="bench users (400 messages each)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--phase-s", type=float, default=20.0, help="k6 seconds before and after")
    parser.add_argument("--during-s", type=float, default=40.0, help="k6 seconds around the migrations")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="online-migration-"))
    out.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {"users": args.users, "clients": args.clients}

    with ExitStack() as stack:
        pg = EmbeddedPostgres(out / "pg")
        stack.callback(pg.destroy)
        server_dsn = pg.start()
        dsn = runner.recreate_database(server_dsn, "service_online")
        settings = load_settings(environ={**os.environ, "SERVICE_ENV": "production"}, database_url=dsn,
                                 jwt_secret=secrets.token_urlsafe(48), access_token_ttl_s=3 * 3600)
        users_file = out / "users.json"
        print(f"filling the bench data set ({args.users:,} users)...", flush=True)
        data, variables = dataset.fill_sync(dsn, settings, args.users, users_file)
        report["data"] = data
        print(f"data: {json.dumps(data)}", flush=True)
        app_dsn = asyncio.run(runner._app_role_dsn(dsn))
        port = runner._free_port()
        base = f"http://127.0.0.1:{port}"
        opts = runner.Options(scenarios=[], duration=args.phase_s, warmup=0, clients=args.clients, workers=1,
                              pool=None, users=args.users, max_requests=0, out_dir=out, json_file=None,
                              chart_file=None, profile=False, ceiling=False)
        stack.enter_context(runner.server_process(app_dsn, settings, opts, port, 8))
        folder = out / "migrations"
        folder.mkdir(exist_ok=True)
        write_migrations(folder)
        mig_dsn = dsn + f"?application_name={APP_NAME}"
        durations: list[tuple[str, float]] = []
        retry = migrate.LockRetry(on_statement=lambda q, s: durations.append((q, s)))

        k6_phase("warmup", base, users_file, args.clients, 5, out, variables)
        report["before"] = k6_phase("before", base, users_file, args.clients, args.phase_s, out, variables)
        print(f"before: {report['before']}", flush=True)

        sampler = Sampler(dsn)
        sampler.thread.start()

        def change() -> list[str]:
            applied = migrate.upgrade(mig_dsn, folder, retry=retry)
            rolled = migrate.rollback(mig_dsn, None, folder, retry=retry)
            return applied + [f"rolled back {m}" for m in rolled]

        report["during"], outcome, elapsed = during("during", base, users_file, args.clients, args.during_s, out,
                                                    variables, change)
        sampler.stop.set()
        sampler.thread.join()
        report["migrations"] = {"outcome": outcome if isinstance(outcome, list) else repr(outcome),
                                "seconds": round(elapsed, 2)}
        report["statements"] = [
            {"statement": q[:110], "seconds": round(s, 3),
             "lock_wait_s": round(sampler.lock_wait.get(q, 0.0), 3)}
            for q, s in durations if not q.startswith(("SET ", "SELECT ", "INSERT INTO \"_yoyo", "DELETE FROM \"_yoyo",
                                                       "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE",
                                                       "CREATE TABLE IF NOT EXISTS", "UPDATE \"_yoyo"))
            and "yoyo_" not in q]
        print(f"during: {report['during']}; migrations {report['migrations']}", flush=True)
        for row in report["statements"]:
            print(f"  {row['seconds']:8.3f} s  lock wait {row['lock_wait_s']:6.3f} s  {row['statement']}")
        report["after"] = k6_phase("after", base, users_file, args.clients, args.phase_s, out, variables)
        print(f"after: {report['after']}", flush=True)

        # A long transaction holds a conflicting lock: the runner retries, then fails cleanly.
        attempts: list[int] = []
        blocked = migrate.LockRetry(attempts=4, first_backoff_s=1.0,
                                    on_retry=lambda what, attempt, exc: attempts.append(attempt))

        async def hold(release: threading.Event, held: threading.Event) -> None:
            conn = await asyncpg.connect(dsn)
            try:
                async with conn.transaction():
                    await conn.execute("LOCK TABLE messages IN SHARE UPDATE EXCLUSIVE MODE")
                    held.set()
                    await asyncio.to_thread(release.wait)
            finally:
                await conn.close()

        release, held = threading.Event(), threading.Event()
        holder = threading.Thread(target=lambda: asyncio.run(hold(release, held)))
        holder.start()
        held.wait(30)
        report["blocked"], outcome, elapsed = during(
            "blocked", base, users_file, args.clients, args.during_s, out, variables,
            lambda: migrate.upgrade(mig_dsn, folder, retry=blocked))
        release.set()
        holder.join()
        report["blocked_migration"] = {"outcome": repr(outcome)[:600], "seconds": round(elapsed, 2),
                                       "retries": attempts,
                                       "applied_after": [m for m, done in migrate.status(dsn, folder) if done]}
        print(f"blocked: {report['blocked']}; migration {report['blocked_migration']}", flush=True)
        (out / "online_migration.json").write_text(json.dumps(report, indent=2, default=str))
        print(f"report: {out / 'online_migration.json'}")


if __name__ == "__main__":
    main()
