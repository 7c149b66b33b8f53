"""Hot-path query plans on the bench data set stay what docs/plans.md says (issue 6 item 7).

The data set (1,000 users, 400,000 messages, 100,000 expenses...) is built once for this module
from the fixed seed, in its own database (about 15 s); each hot statement must read no large table
sequentially and keep the node types of the committed report (cost within a generous margin).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator

import pytest

from service.dba import plans
from tests.conftest import dropdb


@pytest.fixture(scope="module")
def plans_db(server_dsn: str) -> Iterator[str]:
    name = f"plans_{os.getpid()}"
    dsn, _ = plans.build(server_dsn, name)
    yield dsn
    dropdb(server_dsn, name)


@pytest.fixture(scope="module")
def current(plans_db: str) -> tuple[list[plans.Plan], dict[str, int]]:
    return asyncio.run(plans.explain_all(plans_db, list(plans.HOT)))


def test_the_large_tables_are_large(current: tuple[list[plans.Plan], dict[str, int]]) -> None:
    _, large = current
    assert {"messages", "tasks", "expenses", "events"} <= set(large)
    assert sum(large[t] for t in ("messages", "tasks", "expenses", "events")) >= 500_000


@pytest.mark.parametrize("file", plans.HOT)
def test_hot_plan_matches_the_report(file: str, current: tuple[list[plans.Plan], dict[str, int]]) -> None:
    found, large = current
    plan = next(p for p in found if p.file == file)
    assert plan.mode == "custom", plan.mode
    assert plan.uses_index
    committed = plans.parse(plans.REPORT.read_text())
    assert plans.compare(plan, committed.get(file), large) == [], plan.text


def test_compare_flags_a_sequential_scan_and_other_nodes() -> None:
    plan = plans.Plan("tasks/list_tasks", "custom", ["Limit", "Seq Scan"], [], ["tasks"], 5000.0, "")
    problems = plans.compare(plan, (["Limit", "Index Scan"], 100.0), {"tasks": 40_000})
    assert len(problems) == 3  # the scan, the node types, the cost
    assert "Seq Scan on tasks" in problems[0]


def test_the_report_lists_every_sql_file() -> None:
    committed = plans.parse(plans.REPORT.read_text())
    report = plans.REPORT.read_text()
    for file in plans.sql_files():
        assert f"`{file}`" in report, f"{file} is missing from docs/plans.md: run python -m service explain --write"
    assert set(plans.HOT) <= set(committed)


# ---------------------------------------------------------------------------
# Issue #13 §5: a deep page of each hot list under a generic plan reads the page, not every newer row.


@pytest.fixture(scope="module")
def deep(plans_db: str) -> list[plans.DeepPage]:
    return asyncio.run(plans.deep_pages(plans_db))


@pytest.mark.parametrize("file", plans.DEEP_PAGES)
def test_a_deep_page_under_a_generic_plan_uses_the_cursor_as_an_index_condition(
        file: str, deep: list[plans.DeepPage], current: tuple[list[plans.Plan], dict[str, int]]) -> None:
    page = next(d for d in deep if d.file == file)
    _, large = current
    assert page.rows_returned == plans.DEEP_LIMIT, page.text
    assert page.problems(large) == [], page.text


OLD_STYLE = {  # the predicates these files had before: "$n IS NULL OR col < $n"
    "tasks/list_tasks": ("id < coalesce($2::bigint, 9223372036854775807)", "($2::bigint IS NULL OR id < $2)"),
    "chats/list_messages": ("m.id < coalesce($3::bigint, 9223372036854775807)", "($3::bigint IS NULL OR m.id < $3)"),
}


@pytest.mark.parametrize("file", OLD_STYLE)
def test_the_deep_page_check_catches_an_is_null_or_cursor(file: str, plans_db: str) -> None:
    import asyncpg

    from service.db.queries import load_sql

    new, old = OLD_STYLE[file]
    assert new in load_sql(file)

    async def run() -> plans.DeepPage:
        conn = await asyncpg.connect(plans_db, statement_cache_size=0)
        try:
            return await plans.deep_page(conn, file, load_sql(file).replace(new, old))
        finally:
            await conn.close()

    page = asyncio.run(run())
    assert page.filtered > plans.DEEP_LIMIT
    assert "the cursor is not an index condition" in page.problems({})[0]
