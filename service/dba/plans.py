"""Query plans of every SQL file on the bench data set: ``python -m service explain``.

The data set is the bench's (``service/bench/dataset.py``: 1,000 users, 400,000 messages, 40,000
tasks, 100,000 expenses, 100,000 events and as many raw events, from a fixed seed), loaded with
COPY into a fresh database and analysed, so the plans are the ones a busy service would get.

Each file is explained with representative parameters where ``PARAMS`` lists some (a custom
plan, as the first executions of a prepared statement get), else as a generic plan
(``PREPARE`` then ``EXPLAIN EXECUTE`` with NULLs under ``plan_cache_mode = force_generic_plan``:
the plan a prepared statement settles on).
``docs/plans.md`` is the committed report; ``tests/dba/test_plans.py`` fails when a ``HOT``
statement scans a large table sequentially or its node types differ from the report.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import asyncpg

from service.bench.scenarios import bench_uuid, chat_uuid
from service.config import PROJECT_ROOT
from service.db.queries import SQL_ROOT, load_sql

REPORT = PROJECT_ROOT / "docs" / "plans.md"
LARGE_ROWS = 10_000
"""A table with at least this many rows is "large": a sequential scan on it is a finding."""
COST_MARGIN = 10.0
"""The test accepts a total cost up to this many times the committed one (plus 10): no flakes."""

U, C = bench_uuid(17), chat_uuid(17 + 3 * 1000)  # user 17 and its group chat (users = 1,000)
MARCH = (date(2025, 3, 1), date(2025, 3, 31))

PARAMS: dict[str, tuple[Any, ...]] = {
    # E1-E4: the values the bench draws
    "tasks/list_tasks_by_completed": (U, False, None, 51),
    "chats/list_messages": (U, C, None, 51),
    "chats/post_message": (U, C, "Load test message", [], "none", None),
    "expenses/spending_report": (U, *MARCH),
    # the expenses listing: first page, and one month
    "expenses/list_expenses": (U, None, None, None, None, None, None, None, None, None, 51),
    "tasks/list_tasks": (U, None, 51),
    "chats/list_chats": (U, None, None, 51),  # $2 timestamptz, $3 uuid
    "accounts/list_audit": (U, None, 51),
    "accounts/get_user": (U,),
    "quest/list_events": (U, None, None, None, None, None, 51),
}
HOT = ("tasks/list_tasks_by_completed", "chats/list_messages", "chats/post_message", "expenses/spending_report",
       "expenses/list_expenses")
"""The statements the plan test guards: E1-E4 of the bench and the expenses listing."""


@dataclass
class Plan:
    file: str
    mode: str  # "custom" (PARAMS), "generic", or "not explainable: ..."
    nodes: list[str]
    index_names: list[str]
    seq_scans: list[str]  # relations read by a Seq Scan
    cost: float
    text: str

    @property
    def uses_index(self) -> bool:
        return bool(self.index_names)


def sql_files() -> list[str]:
    return sorted(str(p.relative_to(SQL_ROOT).with_suffix("")) for p in SQL_ROOT.rglob("*.sql"))


def _walk(node: dict[str, Any], out: list[dict[str, Any]]) -> None:
    out.append(node)
    for child in node.get("Plans", ()):
        _walk(child, out)


def _jsonb_binary(value: Any) -> bytes:
    return b"\x01" + json.dumps(value).encode()


async def _codecs(conn: asyncpg.Connection) -> None:
    await conn.set_type_codec("jsonb", schema="pg_catalog", format="binary", encoder=_jsonb_binary,
                              decoder=lambda data: json.loads(data[1:]))


async def explain(conn: asyncpg.Connection, file: str) -> Plan:
    statement = load_sql(file).strip().rstrip(";")
    params = PARAMS.get(file)
    try:
        if params is not None:
            await conn.execute("SET plan_cache_mode = auto")
            raw = await conn.fetchval(f"EXPLAIN (FORMAT JSON) {statement}", *params)
            text = await conn.fetch(f"EXPLAIN (COSTS OFF) {statement}", *params)
            await conn.execute("SET plan_cache_mode = force_generic_plan")
        else:
            # The plan a prepared statement settles on: PREPARE, then EXPLAIN EXECUTE with NULLs under
            # force_generic_plan (bound values would be folded into a custom plan).
            n = len((await conn.prepare(statement)).get_parameters())
            await conn.execute(f"PREPARE plans_stmt AS {statement}")
            execute = "EXECUTE plans_stmt" + (f"({', '.join(['NULL'] * n)})" if n else "")
            try:
                raw = await conn.fetchval(f"EXPLAIN (FORMAT JSON) {execute}")
                text = await conn.fetch(f"EXPLAIN (COSTS OFF) {execute}")
            finally:
                await conn.execute("DEALLOCATE plans_stmt")
    except (asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
        return Plan(file, f"not explainable: {exc.__class__.__name__}: {exc}".splitlines()[0], [], [], [], 0.0, "")
    top = json.loads(raw)[0]["Plan"] if isinstance(raw, str) else raw[0]["Plan"]
    nodes: list[dict[str, Any]] = []
    _walk(top, nodes)
    return Plan(
        file=file,
        mode="custom" if params is not None else "generic",
        nodes=[n["Node Type"] for n in nodes],
        index_names=sorted({n["Index Name"] for n in nodes if "Index Name" in n}),
        seq_scans=sorted({n["Relation Name"] for n in nodes if n["Node Type"] == "Seq Scan"}),
        cost=float(top["Total Cost"]),
        text="\n".join(r[0] for r in text),
    )


async def large_tables(conn: asyncpg.Connection) -> dict[str, int]:
    rows = await conn.fetch(
        "SELECT relname, reltuples::bigint AS n FROM pg_class "
        "WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace AND reltuples >= $1 ORDER BY relname",
        LARGE_ROWS)
    return {r["relname"]: r["n"] for r in rows}


async def explain_all(dsn: str, files: list[str] | None = None) -> tuple[list[Plan], dict[str, int]]:
    conn = await asyncpg.connect(dsn, statement_cache_size=0)
    try:
        await _codecs(conn)
        await conn.execute("SET plan_cache_mode = force_generic_plan")
        large = await large_tables(conn)
        return [await explain(conn, f) for f in (files or sql_files())], large
    finally:
        await conn.close()


def findings(plan: Plan, large: dict[str, int]) -> list[str]:
    return [f"Seq Scan on {t} ({large[t]:,} rows)" for t in plan.seq_scans if t in large]


def render(plans: list[Plan], large: dict[str, int], facts: dict[str, Any]) -> str:
    """The readable report (docs/plans.md)."""
    out = [
        "# Query plans on the bench data set",
        "",
        "Generated by `python -m service explain --write` (do not edit by hand): every SQL file under `sql/`",
        "explained on the bench data set (`service/bench/dataset.py`, fixed seed, analysed): "
        + ", ".join(f"{v:,} {k}" for k, v in facts.items() if isinstance(v, int) and k != "year") + ".",
        "`custom`: explained with the representative parameters in `service/dba/plans.py` `PARAMS`;",
        "`generic`: `PREPARE` + `EXPLAIN EXECUTE` with NULLs under `force_generic_plan`, the plan a prepared",
        "statement settles on. A **large** table has",
        f"at least {LARGE_ROWS:,} rows: " + ", ".join(f"{k} ({v:,})" for k, v in large.items()) + ".",
        "`tests/dba/test_plans.py` fails when a hot statement (marked **hot**) reads a large table with a",
        f"sequential scan or its node types differ from the ones below (cost: up to {COST_MARGIN:g}x allowed).",
        "",
        "| file | plan | index | sequential scans on large tables | cost |",
        "|---|---|---|---|---|",
    ]
    for p in plans:
        hot = " **hot**" if p.file in HOT else ""
        if p.mode.startswith("not explainable"):
            out.append(f"| `{p.file}`{hot} | {p.mode} | | | |")
            continue
        bad = findings(p, large)
        out.append(f"| [`{p.file}`](#{_anchor(p.file)}){hot} | {p.mode} | "
                   f"{'yes' if p.uses_index else 'no'} | {'; '.join(bad) or '-'} | {p.cost:,.2f} |")
    out.append("")
    for p in plans:
        if p.mode.startswith("not explainable"):
            continue
        out += [
            f"## {p.file}",
            "",
            f"- mode: {p.mode}; total cost {p.cost:.2f}",
            f"- nodes: `{' > '.join(p.nodes)}`",
            f"- indexes: {', '.join(f'`{i}`' for i in p.index_names) or 'none'}",
            "",
            "```",
            p.text,
            "```",
            "",
        ]
    return "\n".join(out)


def _anchor(file: str) -> str:
    return re.sub(r"[^a-z0-9_ -]", "", file.lower()).replace(" ", "-")


_SECTION = re.compile(r"^## (\S+)\n\n- mode: (\S+); total cost ([0-9.]+)\n- nodes: `([^`]*)`", re.MULTILINE)


def parse(report: str) -> dict[str, tuple[list[str], float]]:
    """file -> (node types, total cost) from a report written by ``render``."""
    return {m.group(1): (m.group(4).split(" > "), float(m.group(3))) for m in _SECTION.finditer(report)}


def compare(plan: Plan, committed: tuple[list[str], float] | None, large: dict[str, int]) -> list[str]:
    """What is wrong with a hot statement's plan now: sequential scans, other node types, a cost far above."""
    problems = [f"{plan.file}: {f}" for f in findings(plan, large)]
    if committed is None:
        return [*problems, f"{plan.file}: not in {REPORT.name}"]
    nodes, cost = committed
    if plan.nodes != nodes:
        problems.append(f"{plan.file}: node types {' > '.join(plan.nodes)} (committed: {' > '.join(nodes)})")
    if plan.cost > cost * COST_MARGIN + 10:
        problems.append(f"{plan.file}: cost {plan.cost:.2f} (committed {cost:.2f}, allowed {COST_MARGIN:g}x)")
    return problems


PLANS_DB = "service_plans"
USERS = 1000


def build(server_dsn: str, name: str = PLANS_DB, users: int = USERS) -> tuple[str, dict[str, Any]]:
    """A fresh database ``name`` on the server of ``server_dsn``, migrated, filled and analysed: (dsn, counts)."""
    import asyncio

    from service.bench import dataset, runner
    from service.config import load_settings

    dsn = runner.recreate_database(server_dsn, name)
    # The hash is never verified here: the cheapest argon2id will do.
    settings = load_settings(environ={}, database_url=dsn, argon2_time_cost=1, argon2_memory_kib=1024,
                             argon2_parallelism=1)
    _, facts, _ = asyncio.run(dataset.fill(dsn, settings, users))
    return dsn, facts.variables


def write_report(text: str, path: Path = REPORT) -> None:
    path.write_text(text)
