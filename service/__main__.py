"""Command line: ``python -m service serve | db ... | apps ... | events process | check-sql | bench | explain``.

With no DATABASE_URL every command uses the embedded PostgreSQL under
``PGDATA_DIR`` (default ``.data/postgres``), starting it if needed and
stopping it again when the command started it (``db url`` leaves it up,
so that ``psql`` can connect; ``db stop`` stops it).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from service.config import Settings, load_settings
from service.db import migrate
from service.db.embedded import EmbeddedPostgres

if TYPE_CHECKING:
    from service.bench import runner

log = logging.getLogger("service")


@contextmanager
def database(settings: Settings, *, keep_running: bool = False) -> Iterator[tuple[str, EmbeddedPostgres | None]]:
    """The DSN to use: DATABASE_URL, or the embedded server (started here if it is not running)."""
    if settings.database_url:
        yield settings.database_url, None
        return
    server = EmbeddedPostgres(settings.data_dir)
    dsn = server.start()
    try:
        yield dsn, server
    finally:
        if server.started_here and not keep_running:
            server.stop()


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    with database(settings) as (dsn, server):
        if settings.migrate_on_start:
            applied = migrate.upgrade(dsn)
            log.info("migrations applied: %s", applied or "none pending")
        os.environ["DATABASE_URL"] = dsn  # the workers build their app from the environment
        if server:
            log.info("embedded PostgreSQL at %s (data in %s)", dsn, server.data_dir)
        try:
            _serve_until_signalled(args)
        except (KeyboardInterrupt, _Stop):
            log.info("stopped")
    return 0


class _Stop(Exception):
    """SIGTERM, re-raised by uvicorn once it has drained its requests."""


def _raise_stop(signum: int, frame: object) -> None:
    raise _Stop


def _serve_until_signalled(args: argparse.Namespace) -> None:
    """uvicorn drains in-flight requests on SIGINT/SIGTERM and then re-raises the signal; turning that into
    an exception lets ``database()`` stop the embedded server on the way out."""
    import uvicorn

    signal.signal(signal.SIGTERM, _raise_stop)
    uvicorn.run(
        "service.app:app_from_env",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        loop="uvloop" if sys.platform != "win32" else "auto",
        http="service.http.server:Protocol",  # httptools, one send per response
        access_log=False,  # the app writes its own structured access log
        log_level="info",
        timeout_graceful_shutdown=10,
    )


def cmd_db(settings: Settings, args: argparse.Namespace) -> int:
    if args.db_command in DBA_COMMANDS:
        return DBA_COMMANDS[args.db_command](settings, args)
    if args.db_command == "new":
        forward, backward = migrate.new(args.name)
        print(f"created {forward.relative_to(forward.parent.parent)} and {backward.name}")
        return 0
    with database(settings, keep_running=args.db_command == "url") as (dsn, server):
        if args.db_command == "upgrade":
            applied = migrate.upgrade(dsn)
            print("\n".join(f"applied {m}" for m in applied) or "nothing to apply")
        elif args.db_command == "rollback":
            rolled = migrate.rollback(dsn, None if args.all else args.count)
            print("\n".join(f"rolled back {m}" for m in rolled) or "nothing to roll back")
        elif args.db_command == "status":
            for migration_id, applied in migrate.status(dsn):
                print(f"{'applied' if applied else 'PENDING':8} {migration_id}")
        elif args.db_command == "url":
            print(dsn)
            if server and server.started_here:
                print("(embedded server started for you; stop it with: python -m service db stop)", file=sys.stderr)
        elif args.db_command == "stop":
            if server:
                server.stop()
        elif args.db_command in ("seed", "reset"):
            if settings.env == "production" and not args.force:
                print(f"refusing to {args.db_command} a production database (SERVICE_ENV=production); "
                      "pass --force", file=sys.stderr)
                return 2
            if args.db_command == "reset":
                if server is None and not args.force:
                    print("refusing to reset a database given by DATABASE_URL; pass --force", file=sys.stderr)
                    return 2
                migrate.rollback(dsn, None)
                migrate.upgrade(dsn)
            else:
                migrate.upgrade(dsn)
            users = asyncio.run(_seed(settings, dsn))
            print("seeded demo users: " + ", ".join(users))
    return 0


async def _seed(settings: Settings, dsn: str) -> dict[str, object]:
    from service.accounts.passwords import Passwords
    from service.db.pool import create_pool
    from service.seed import seed

    pool = await create_pool(settings, dsn)
    try:
        async with pool.acquire() as conn:
            return dict(await seed(conn, Passwords(settings)))
    finally:
        await pool.close()


def cmd_events(settings: Settings, args: argparse.Namespace) -> int:
    """``events process``: apply raw webhook events left pending (e.g. by a crash after ingest)."""
    from service.db.pool import create_pool
    from service.quest.logic import process_pending

    async def run(dsn: str) -> tuple[int, int]:
        pool = await create_pool(settings, dsn)
        try:
            async with pool.acquire() as conn:
                return await process_pending(conn)
        finally:
            await pool.close()

    with database(settings) as (dsn, server):
        if server is not None:
            migrate.upgrade(dsn)
        processed, skipped = asyncio.run(run(dsn))
    print(f"events process: {processed} processed, {skipped} skipped (taken by another worker meanwhile)")
    return 0


def cmd_apps(settings: Settings, args: argparse.Namespace) -> int:
    """``apps create|list|rotate|revoke``: app credentials (service/apps/cli.py)."""
    from service.apps import cli
    from service.db.pool import create_pool

    async def run(dsn: str) -> int:
        pool = await create_pool(settings, dsn)
        try:
            async with pool.acquire() as conn:
                return await cli.run(settings, conn, args)
        finally:
            await pool.close()

    with database(settings) as (dsn, server):
        if server is not None:
            migrate.upgrade(dsn)
        return asyncio.run(run(dsn))


def cmd_jobs(settings: Settings, args: argparse.Namespace) -> int:
    """``jobs run [--once] [--job NAME]``: the retention purges, for cron or a Kubernetes CronJob."""
    import time

    from service.db.pool import create_pool
    from service.jobs.registry import JOBS
    from service.jobs.runner import run_all

    names = args.job or None
    unknown = [n for n in names or [] if n not in JOBS]
    if unknown:
        print(f"unknown job(s) {', '.join(unknown)}; jobs: {', '.join(JOBS)}", file=sys.stderr)
        return 2

    async def run(dsn: str) -> int:
        pool = await create_pool(settings, dsn)
        try:
            while True:
                outcomes = await run_all(pool, settings, names)
                for o in outcomes:
                    state = "skipped (another worker holds its lock)" if o.skipped else \
                        f"{o.purged} rows in {o.batches} batch(es)"
                    print(f"{o.job}: {state}", flush=True)
                failed = len(outcomes) < len(names or JOBS)
                if args.once:
                    return 1 if failed else 0
                await asyncio.sleep(settings.jobs_interval_s)
        finally:
            await pool.close()

    with database(settings) as (dsn, server):
        if server is not None:
            migrate.upgrade(dsn)
        started = time.monotonic()
        try:
            return asyncio.run(run(dsn))
        except KeyboardInterrupt:
            print(f"stopped after {time.monotonic() - started:.0f} s", file=sys.stderr)
            return 0


def cmd_check_sql(settings: Settings, _: argparse.Namespace) -> int:
    from service.db.pool import create_pool
    from service.db.queries import BINDINGS, check_bindings

    async def run(dsn: str) -> list[str]:
        pool = await create_pool(settings, dsn)
        try:
            async with pool.acquire() as conn:
                return await check_bindings(conn)
        finally:
            await pool.close()

    with database(settings) as (dsn, server):
        if server is not None:
            migrate.upgrade(dsn)
        problems = asyncio.run(run(dsn))
    for problem in problems:
        print(problem)
    print(f"check-sql: {len(BINDINGS)} statements, {len(problems)} problems")
    return 1 if problems else 0


# ---------------------------------------------------------------------------
# The DBA's verbs (service/dba/): snapshot, verify, docs, lint, rules.


def cmd_db_snapshot(settings: Settings, args: argparse.Namespace) -> int:
    from service.dba import catalog, snapshot

    with database(settings) as (dsn, _):
        text = snapshot.render(asyncio.run(catalog.fresh_catalog(dsn)))
    changed = snapshot.write_snapshot(text, args.output)
    print(f"{'wrote' if changed else 'unchanged:'} {args.output}")
    return 0


def cmd_db_docs(settings: Settings, args: argparse.Namespace) -> int:
    from service.dba import catalog, docs, snapshot

    with database(settings) as (dsn, _):
        text = docs.render_markdown(asyncio.run(catalog.fresh_catalog(dsn)))
    changed = snapshot.write_snapshot(text, args.output)
    print(f"{'wrote' if changed else 'unchanged:'} {args.output}")
    return 0


def cmd_db_verify(settings: Settings, args: argparse.Namespace) -> int:
    from service.dba import catalog, snapshot

    with database(settings) as (dsn, _):
        live = snapshot.render(asyncio.run(catalog.read_catalog_at(dsn)))
    differences = snapshot.compare(snapshot.read_snapshot(args.snapshot), live)
    for difference in differences:
        print(difference)
    if differences:
        print(f"db verify: {len(differences)} difference(s) from {args.snapshot} "
              "(missing: in the snapshot only; extra: in the database only)")
        return 1
    print(f"db verify: the database matches {args.snapshot}")
    return 0


def cmd_db_lint(settings: Settings, args: argparse.Namespace) -> int:
    from service.dba.lint import lint_migrations

    problems = lint_migrations(args.directory)
    for problem in problems:
        print(problem)
    print(f"db lint: {len(problems)} problem(s) in {args.directory}")
    return 1 if problems else 0


def cmd_db_rules(settings: Settings, args: argparse.Namespace) -> int:
    from service.dba.rules import check_rules

    async def run(dsn: str) -> list[str]:
        import asyncpg

        conn = await asyncpg.connect(dsn)
        try:
            return await check_rules(conn)
        finally:
            await conn.close()

    with database(settings) as (dsn, _):
        problems = asyncio.run(run(dsn))
    for problem in problems:
        print(problem)
    print(f"db rules: {len(problems)} problem(s)")
    return 1 if problems else 0


DBA_COMMANDS = {"snapshot": cmd_db_snapshot, "docs": cmd_db_docs, "verify": cmd_db_verify, "lint": cmd_db_lint,
                "rules": cmd_db_rules}


def cmd_bench(settings: Settings, args: argparse.Namespace) -> int:
    import time

    from service.bench import report, runner, scenarios
    from service.config import PROJECT_ROOT

    if settings.env == "production" and not args.force:
        print("refusing to load-test from a production configuration (SERVICE_ENV=production); pass --force",
              file=sys.stderr)
        return 2
    try:
        chosen = scenarios.by_name(args.scenario)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    out_dir = args.out or PROJECT_ROOT / ".data" / "bench" / time.strftime("%Y%m%d-%H%M%S")
    opts = runner.Options(
        scenarios=chosen, duration=args.duration, warmup=args.warmup, clients=args.clients,
        workers=args.workers or os.cpu_count() or 1, pool=args.pool, users=args.users,
        max_requests=args.max_requests, out_dir=Path(out_dir), json_file=args.json,
        chart_file=args.chart or Path(out_dir) / "bench.svg", profile=args.profile, ceiling=not args.no_ceiling,
        pgbouncer=args.pgbouncer,
    )
    if args.baseline:
        return _bench_ab(settings, opts, args.baseline, args.rounds)
    with database(settings) as (dsn, _):
        result = runner.run(dsn, opts)
    print(report.table(result))
    if opts.json_file:
        report.write_json(result, opts.json_file)
    report.write_json(result, opts.out_dir / "bench.json")
    if opts.chart_file:
        report.write_chart(result, opts.chart_file)
    print(f"\nrun folder {opts.out_dir} (k6 summaries, pgbench scripts and logs, server log"
          f"{', profiles' if opts.profile else ''}); chart {opts.chart_file}; "
          f"{result['settings']['total_s']:.0f} s in all")
    return 0


def _bench_ab(settings: Settings, opts: runner.Options, baseline: str, rounds: int) -> int:
    from service.bench import ab, report

    with database(settings) as (dsn, _):
        result = ab.run(dsn, opts, baseline, rounds)
    print(ab.table(result))
    if opts.json_file:
        report.write_json(result, opts.json_file)
    report.write_json(result, opts.out_dir / "bench-ab.json")
    chart = opts.chart_file or opts.out_dir / "bench-ab.svg"
    chart.parent.mkdir(parents=True, exist_ok=True)
    chart.write_text(ab.svg_chart(result))
    print(f"\nrun folder {opts.out_dir}; chart {chart}; {result['settings']['total_s']:.0f} s in all")
    return 0


def cmd_explain(settings: Settings, args: argparse.Namespace) -> int:
    import asyncio

    from service.dba import plans

    with database(settings) as (dsn, _):
        print(f"filling {plans.PLANS_DB} (the bench data set, {plans.USERS:,} users)...", file=sys.stderr)
        plans_dsn, facts = plans.build(dsn)
        found, large = asyncio.run(plans.explain_all(plans_dsn, args.file or None))
    for p in found:
        bad = plans.findings(p, large)
        print(f"== {p.file} ({p.mode}; index: {'yes ' + ', '.join(p.index_names) if p.uses_index else 'no'}"
              f"{'; ' + '; '.join(bad) if bad else ''})")
        if p.text:
            print(p.text)
    if args.write:
        plans.write_report(plans.render(found, large, facts))
        print(f"wrote {plans.REPORT}", file=sys.stderr)
    hot = [f for p in found if p.file in plans.HOT for f in plans.findings(p, large)]
    print(f"\n{len(found)} statements; hot-path sequential scans on large tables: {len(hot)}", file=sys.stderr)
    return 1 if hot else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m service", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the HTTP service")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)

    db = sub.add_parser("db", help="migrations, demo data, connection URL")
    dbsub = db.add_subparsers(dest="db_command", required=True)
    dbsub.add_parser("upgrade", help="apply pending migrations")
    rollback = dbsub.add_parser("rollback", help="roll back the newest migration(s)")
    rollback.add_argument("--count", type=int, default=1)
    rollback.add_argument("--all", action="store_true")
    dbsub.add_parser("status", help="list migrations and whether each is applied")
    new = dbsub.add_parser("new", help="create a migration and its rollback file")
    new.add_argument("name")
    dbsub.add_parser("url", help="print a DSN psql accepts")
    dbsub.add_parser("stop", help="stop the embedded server")
    for name, text in (("seed", "add the demo world (idempotent)"),
                       ("reset", "roll back everything, migrate, seed (embedded database only)")):
        p = dbsub.add_parser(name, help=text)
        p.add_argument("--force", action="store_true")

    from service.apps import cli as apps_cli

    apps_cli.add_parser(sub)

    events = sub.add_parser("events", help="quest webhook events")
    eventsub = events.add_subparsers(dest="events_command", required=True)
    eventsub.add_parser("process", help="process raw events left unprocessed (after a crash)")
    jobs = sub.add_parser("jobs", help="retention jobs (README: Data lifecycle)")
    jobsub = jobs.add_subparsers(dest="jobs_command", required=True)
    jobs_run = jobsub.add_parser("run", help="run the retention purges every JOBS_INTERVAL seconds (or --once)")
    jobs_run.add_argument("--once", action="store_true", help="one run of each job, then exit (1 if one failed)")
    jobs_run.add_argument("--job", action="append", help="only this job (repeatable); default: all")
    from service.db.migrate import MIGRATIONS_DIR
    from service.dba.docs import DOCS_PATH
    from service.dba.snapshot import SNAPSHOT_PATH

    snap = dbsub.add_parser("snapshot", help="rewrite docs/schema.sql from a scratch database migrated from scratch")
    snap.add_argument("--output", type=Path, default=SNAPSHOT_PATH)
    verify = dbsub.add_parser("verify", help="compare the configured database with docs/schema.sql; 1 on drift")
    verify.add_argument("--snapshot", type=Path, default=SNAPSHOT_PATH)
    docs = dbsub.add_parser("docs", help="rewrite docs/schema.md from a scratch database migrated from scratch")
    docs.add_argument("--output", type=Path, default=DOCS_PATH)
    lint = dbsub.add_parser("lint", help="migration rules squawk does not check; 1 on a problem")
    lint.add_argument("--directory", type=Path, default=MIGRATIONS_DIR)
    dbsub.add_parser("rules", help="catalog rules (keys, FK indexes, types, names, comments) on the configured "
                                   "database; 1 on a problem")

    explain = sub.add_parser("explain", help="fill the bench data set and print every SQL file's plan",
                             description="Fills a fresh service_plans database with the bench data set (fixed "
                                         "seed), then EXPLAINs each sql/ file (docs/plans.md: --write).")
    explain.add_argument("file", nargs="*", help="only these, e.g. tasks/list_tasks (default: all)")
    explain.add_argument("--write", action="store_true", help="rewrite docs/plans.md")
    sub.add_parser("check-sql", help="check every sql/ file against the migrated schema and its function")


    bench = sub.add_parser("bench", help="load-test the hot paths (k6) beside the database-only ceiling (pgbench)",
                           description="Fills a fresh service_bench database, starts a production-mode server on "
                                       "127.0.0.1 and measures each scenario (README: Load testing).")
    bench.add_argument("--duration", type=float, default=15, help="seconds per path, for k6 and for pgbench")
    bench.add_argument("--warmup", type=float, default=3, help="seconds of k6 before each measured run")
    bench.add_argument("--clients", type=int, default=32, help="concurrent connections (k6 VUs, pgbench clients)")
    bench.add_argument("--workers", type=int, default=None, help="server worker processes (default: one per core)")
    bench.add_argument("--pool", type=int, default=None,
                       help="connections per worker (default: 4 x cores / workers, at most clients / workers)")
    bench.add_argument("--users", type=int, default=1000)
    bench.add_argument("--max-requests", type=int, default=1_000_000, help="request bound per path")
    bench.add_argument("--scenario", action="append", help="run only this one (repeatable): E5, me, me_audit...")
    bench.add_argument("--json", type=Path, help="write the results as JSON here")
    bench.add_argument("--chart", type=Path, help="write the SVG chart here (default: in the run folder)")
    bench.add_argument("--out", type=Path, help="run folder (default: .data/bench/<time>)")
    bench.add_argument("--profile", action="store_true", help="py-spy the server during each path (skews figures)")
    bench.add_argument("--no-ceiling", action="store_true", help="skip pgbench")
    bench.add_argument("--force", action="store_true", help="run even with SERVICE_ENV=production")
    bench.add_argument("--baseline", metavar="REV",
                       help="A/B: also serve git revision REV (its own worktree, database and server) and measure "
                            "both in interleaved rounds; prints B/A (B = this tree) per figure")
    bench.add_argument("--rounds", type=int, default=3, help="with --baseline: rounds of A and B per path")
    bench.add_argument("--pgbouncer", action="store_true",
                       help="put PgBouncer (transaction mode, from PATH) between the server and PostgreSQL, "
                            "with DB_STATEMENT_CACHE_SIZE=0")
    return parser


COMMANDS = {"serve": cmd_serve, "db": cmd_db, "apps": cmd_apps, "events": cmd_events, "jobs": cmd_jobs,
            "check-sql": cmd_check_sql,
            "bench": cmd_bench, "explain": cmd_explain}


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("yoyo").setLevel(logging.WARNING)
    args = build_parser().parse_args(argv)
    return COMMANDS[args.command](load_settings(), args)


if __name__ == "__main__":
    sys.exit(main())
