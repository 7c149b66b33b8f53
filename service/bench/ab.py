"""``bench --baseline REV``: two revisions measured in one interleaved run.

A speed claim made from two separate runs on a shared two-core machine
measures the machine's mood as much as the code.  Here both revisions run at
once, each with its own database (migrated by its own code, filled with the
same data set: same seed, same row counts) and its own production-mode
server, and every scenario is measured on A and B in alternating order
(round 0: A then B, round 1: B then A, ...), so drift, a noisy neighbour or a
warm cache hits both alike.  The figure to read is the per-round ratio B/A
(B = the working tree, A = the baseline) with its min-max over rounds.

The baseline is checked out with ``git worktree add --detach`` under
``.data/bench/rev-<sha>`` and served by the same interpreter when its
dependency list is ours, else by a virtual environment of its own made
there once.  The data set is filled by the baseline's *own* code (its
``service.bench.dataset.fill_sync``, run in a subprocess with the baseline on
``sys.path``), so a schema change between the two revisions is filled the way
each revision expects.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import secrets
import statistics
import subprocess
import sys
import time
import tomllib
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from service.bench import runner
from service.config import PROJECT_ROOT, Settings, load_settings

log = logging.getLogger("service.bench")

# Run by each revision's interpreter with that revision first on sys.path: fills one database with
# that revision's own filler and prints what the load side needs.  It relies only on functions
# whose signatures have not changed since the bench was introduced.
FILL_DRIVER = """
import json, os, sys
from pathlib import Path
from service.bench import dataset, runner
from service.config import load_settings
args = json.loads(sys.argv[1])
dsn = runner.recreate_database(args["server_dsn"], args["database"])
settings = load_settings(environ={**os.environ, "SERVICE_ENV": "production"}, database_url=dsn,
                         jwt_secret=args["jwt_secret"], access_token_ttl_s=3 * 3600)
data, variables = dataset.fill_sync(dsn, settings, args["users"], Path(args["users_file"]))
print(json.dumps({"dsn": dsn, "data": data, "variables": variables}))
"""


@dataclass(frozen=True)
class Side:
    """One revision under test: its tree, interpreter, database and the load side's inputs."""

    name: str  # "A" (baseline) or "B" (working tree)
    rev: str
    tree: Path
    python: str
    dsn: str = ""
    users_file: Path = Path()
    variables: dict[str, int] | None = None
    data: dict[str, Any] | None = None


def _git(*args: str, cwd: Path = PROJECT_ROOT) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def _dependencies(tree: Path) -> Any:
    project = tomllib.loads((tree / "pyproject.toml").read_text())["project"]
    return project.get("dependencies"), project.get("optional-dependencies", {}).get("bench")


def checkout(rev: str) -> Side:
    """The baseline's worktree (made once per commit) and the interpreter that can run it."""
    sha = _git("rev-parse", "--verify", f"{rev}^{{commit}}")
    tree = PROJECT_ROOT / ".data" / "bench" / f"rev-{sha[:12]}"
    if not (tree / "pyproject.toml").exists():
        _git("worktree", "add", "--detach", "--force", str(tree), sha)
    python = sys.executable
    if _dependencies(tree) != _dependencies(PROJECT_ROOT):
        venv = tree / ".venv-bench"
        python = str(venv / "bin" / "python")
        if not Path(python).exists():
            log.info("bench: %s's dependencies differ from ours: a virtual environment of its own", rev)
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
            subprocess.run([python, "-m", "pip", "install", "--quiet", "-e", f"{tree}[bench]"], check=True)
    return Side(name="A", rev=f"{rev} ({sha[:12]})", tree=tree, python=python)


def working_tree() -> Side:
    dirty = bool(_git("status", "--porcelain", "--untracked-files=no"))
    head = _git("rev-parse", "--short=12", "HEAD")
    return Side(name="B", rev=f"working tree ({head}{', modified' if dirty else ''})", tree=PROJECT_ROOT,
                python=sys.executable)


def fill(side: Side, server_dsn: str, database: str, users: int, jwt_secret: str, out_dir: Path) -> Side:
    users_file = out_dir / f"users-{side.name}.json"
    args = {"server_dsn": server_dsn, "database": database, "users": users, "jwt_secret": jwt_secret,
            "users_file": str(users_file)}
    env = {**os.environ, "PYTHONPATH": str(side.tree)}
    result = subprocess.run([side.python, "-c", FILL_DRIVER, json.dumps(args)], cwd=side.tree, env=env,
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"filling the database of {side.rev} failed:\n{result.stderr[-3000:]}")
    facts = json.loads(result.stdout.strip().splitlines()[-1])
    return replace(side, dsn=facts["dsn"], users_file=users_file, variables=facts["variables"], data=facts["data"])


def steal_seconds() -> float:
    """CPU time this (virtual) machine's cores waited for the host: the noise a ratio must survive."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    return int(fields[7]) / 100 if len(fields) > 7 else 0.0


def _ratio(b: float | None, a: float | None) -> float | None:
    return round(b / a, 3) if a and b is not None else None


KEYS = ("rps", "p50_ms", "p99_ms", "service_cpu_us_per_req", "pg_cpu_us_per_req", "loadgen_cpu_us_per_req")


def summarize(rounds: list[dict[str, dict[str, Any]]], scenario: str) -> dict[str, Any]:
    """Medians per side, and the per-round ratio B/A of each figure: median, min and max over rounds."""
    per_side = {side: [r[side] for r in rounds] for side in ("A", "B")}
    out: dict[str, Any] = {"scenario": scenario, "rounds": len(rounds),
                           "errors": {s: sum(m["errors"] for m in ms) for s, ms in per_side.items()}}
    for key in KEYS:
        values = {s: [m[key] for m in ms if m.get(key) is not None] for s, ms in per_side.items()}
        ratios = [x for x in (_ratio(r["B"].get(key), r["A"].get(key)) for r in rounds) if x is not None]
        out[key] = {
            "A": statistics.median(values["A"]) if values["A"] else None,
            "B": statistics.median(values["B"]) if values["B"] else None,
            "ratio": statistics.median(ratios) if ratios else None,
            "ratio_min": min(ratios) if ratios else None,
            "ratio_max": max(ratios) if ratios else None,
        }
    return out


def run(server_dsn: str, opts: runner.Options, baseline: str, rounds: int) -> dict[str, Any]:
    started = time.monotonic()
    opts.out_dir.mkdir(parents=True, exist_ok=True)
    machine = runner.machine_facts()
    steal0 = steal_seconds()
    jwt_secret = secrets.token_urlsafe(48)
    sides = [checkout(baseline), working_tree()]
    sides = [fill(s, server_dsn, f"service_bench_{s.name.lower()}", opts.users, jwt_secret, opts.out_dir)
             for s in sides]
    pg = asyncio.run(runner._server_facts(server_dsn))
    settings: Settings = load_settings(environ={**os.environ, "SERVICE_ENV": "production"},
                                       jwt_secret=jwt_secret, access_token_ttl_s=3 * 3600)
    cores = os.cpu_count() or 1
    pool = opts.pool or max(2, min(-(-opts.clients // opts.workers), -(-4 * cores // opts.workers)))
    measured: dict[str, list[dict[str, dict[str, Any]]]] = {s.name: [] for s in opts.scenarios}
    with ExitStack() as stack:
        servers = {}
        for side in sides:
            port = runner._free_port()
            app_dsn = asyncio.run(runner._app_role_dsn(side.dsn))
            side_opts = replace(opts, out_dir=opts.out_dir / side.name)
            side_opts.out_dir.mkdir(parents=True, exist_ok=True)
            proc = stack.enter_context(runner.server_process(app_dsn, settings, side_opts, port, pool,
                                                             tree=side.tree, python=side.python))
            servers[side.name] = (f"http://127.0.0.1:{port}", proc.pid)
        for r in range(rounds):
            for i, scenario in enumerate(opts.scenarios):
                order = sides if (r + i) % 2 == 0 else sides[::-1]
                pair: dict[str, dict[str, Any]] = {}
                for side in order:
                    base, pid = servers[side.name]
                    log.info("bench A/B: round %d/%d, %s on %s", r + 1, rounds, scenario.name, side.name)
                    side_opts = replace(opts, ceiling=False, out_dir=opts.out_dir / side.name / f"round{r}")
                    side_opts.out_dir.mkdir(parents=True, exist_ok=True)
                    pair[side.name] = runner.measure(scenario, side_opts, base=base, dsn=side.dsn,
                                                     users_file=side.users_file, server_pid=pid,
                                                     postmaster_pid=pg["postmaster_pid"],
                                                     variables=side.variables)
                measured[scenario.name].append(pair)
    wall = time.monotonic() - started
    return {
        "machine": {**machine, "steal_share": round((steal_seconds() - steal0) / (wall * cores), 4)},
        "settings": {"workers": opts.workers, "pool_per_worker": pool, "clients": opts.clients,
                     "duration_s": opts.duration, "warmup_s": opts.warmup, "users": opts.users, "rounds": rounds,
                     "A": sides[0].rev, "B": sides[1].rev, "data": {"A": sides[0].data, "B": sides[1].data},
                     "postgres": {k: v for k, v in pg.items() if k != "postmaster_pid"},
                     "total_s": round(wall, 1)},
        "paths": {name: {**summarize(pairs, name), "label": next(s.label for s in opts.scenarios if s.name == name),
                         "raw": pairs}
                  for name, pairs in measured.items()},
    }


def table(result: dict[str, Any]) -> str:
    """One line per path and figure: A, B, and B/A as median [min-max] over rounds."""
    s, m = result["settings"], result["machine"]
    lines = [f"A = {s['A']}", f"B = {s['B']}",
             f"{s['rounds']} interleaved rounds, {s['duration_s']:g} s per path per side, {s['workers']} workers "
             f"x pool {s['pool_per_worker']}, {s['clients']} clients; {m['cores']} cores, steal "
             f"{m['steal_share']:.1%} of CPU time", "",
             f"{'path':<10} {'figure':<24} {'A':>10} {'B':>10}  {'B/A median [min-max]':<24}"]
    for name, p in result["paths"].items():
        for key in KEYS:
            f = p[key]
            if f["A"] is None and f["B"] is None:
                continue
            ratio = "-" if f["ratio"] is None else f"{f['ratio']:.2f} [{f['ratio_min']:.2f}-{f['ratio_max']:.2f}]"
            lines.append(f"{name:<10} {key:<24} {_num(f['A']):>10} {_num(f['B']):>10}  {ratio}")
        lines.append(f"{name:<10} {'errors':<24} {p['errors']['A']:>10} {p['errors']['B']:>10}")
    return "\n".join(lines)


def _num(v: float | None) -> str:
    return "-" if v is None else f"{v:,.1f}"


def svg_chart(result: dict[str, Any]) -> str:
    """Service and PostgreSQL CPU per request, A beside B, with B/A and its range as text."""
    paths = list(result["paths"].items())
    row, left, width = 44, 150, 620
    height = 40 + row * len(paths) + 30
    values = [p[k][side] or 0 for _, p in paths for k in ("service_cpu_us_per_req", "pg_cpu_us_per_req")
              for side in ("A", "B")]
    top = max([*values, 1])
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 220}" height="{height}" '
           f'font-family="sans-serif" font-size="12">',
           '<text x="8" y="18" font-weight="bold">CPU per request (µs): A (baseline, light) vs B (dark); '
           'service | PostgreSQL</text>']
    for i, (name, p) in enumerate(paths):
        y = 34 + i * row
        out.append(f'<text x="8" y="{y + 16}">{name}</text>')
        for j, side in enumerate(("A", "B")):
            svc = p["service_cpu_us_per_req"][side] or 0
            pg = p["pg_cpu_us_per_req"][side] or 0
            ws, wp = svc / top * width / 2, pg / top * width / 2
            yy = y + j * 16
            shade = ("#9ecae1", "#fdd0a2") if side == "A" else ("#3182bd", "#e6550d")
            out.append(f'<rect x="{left}" y="{yy}" width="{ws:.1f}" height="13" fill="{shade[0]}"/>'
                       f'<rect x="{left + ws:.1f}" y="{yy}" width="{wp:.1f}" height="13" fill="{shade[1]}"/>'
                       f'<text x="{left + ws + wp + 4:.1f}" y="{yy + 11}">{side}: {svc:.0f} | {pg:.0f}</text>')
        f = p["service_cpu_us_per_req"]
        if f["ratio"] is not None:
            out.append(f'<text x="{left + width + 10}" y="{y + 20}">service B/A {f["ratio"]:.2f} '
                       f'[{f["ratio_min"]:.2f}-{f["ratio_max"]:.2f}]</text>')
    s = result["settings"]
    out.append(f'<text x="8" y="{height - 10}" fill="#555">A = {s["A"]}; B = {s["B"]}; {s["rounds"]} rounds, '
               f'steal {result["machine"]["steal_share"]:.1%}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
