"""docs/scale-out.md against the live schema: every table classified, distribution columns in keys.

- Every table of the migrated schema (and no other) is in the document's classification table.
- A distributed table has its distribution column, and that column is in its primary key and in
  each unique constraint and unique index, unless that (table, constraint) is on the document's
  exception list.  A table added from now on that is marked distributed therefore fails here
  until its keys carry the column (or someone adds it to the list, in review).
- The exception list holds only real exceptions (no stale entries).
- docs/citus/distribute.sql creates exactly the reference and distributed tables of the
  document, with the same columns (it is not applied: Citus is not installed here).
"""

from __future__ import annotations

import re

import asyncpg

from service.config import PROJECT_ROOT
from service.dba import catalog

DOC = PROJECT_ROOT / "docs" / "scale-out.md"
DDL = PROJECT_ROOT / "docs" / "citus" / "distribute.sql"
YOYO = {"_yoyo_migration", "_yoyo_log", "_yoyo_version", "yoyo_lock"}
KINDS = {"distributed", "reference", "local"}


def _rows(marker: str) -> list[list[str]]:
    """The cells of the markdown table between ``<!-- marker:start -->`` and ``<!-- marker:end -->``."""
    text = DOC.read_text()
    body = text.split(f"<!-- {marker}:start -->", 1)[1].split(f"<!-- {marker}:end -->", 1)[0]
    lines = [line.strip() for line in body.strip().splitlines() if line.strip().startswith("|")]
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[2:]]  # skip header, rule


def classification() -> dict[str, tuple[str, str]]:
    result: dict[str, tuple[str, str]] = {}
    for cells in _rows("classification"):
        table, kind, column = cells[0], cells[1], cells[2]
        assert table not in result, f"{table} is classified twice"
        assert kind in KINDS, f"{table}: kind {kind!r} is not one of {sorted(KINDS)}"
        assert (kind == "distributed") == bool(column), f"{table}: a distribution column iff distributed"
        result[table] = (kind, column)
    return result


def exceptions() -> set[tuple[str, str]]:
    return {(cells[0], cells[1].split()[0]) for cells in _rows("exceptions")}


def _key_columns(definition: str) -> list[str]:
    """Column names of ``PRIMARY KEY (a, b)``, ``UNIQUE (a, b)`` or a ``CREATE UNIQUE INDEX ... USING btree
    (a, lower(b)) WHERE ...`` (an expression counts as the column inside it)."""
    start = re.search(r"(?:KEY|UNIQUE|USING \w+) \(", definition)
    assert start, definition
    depth, end = 1, start.end()
    while depth:
        depth += {"(": 1, ")": -1}.get(definition[end], 0)
        end += 1
    parts = re.split(r",\s*(?![^()]*\))", definition[start.end():end - 1])
    return [re.sub(r"^\w+\((\w+)\)$", r"\1", part.strip()).split()[0] for part in parts]


async def test_every_table_is_classified(conn: asyncpg.Connection) -> None:
    schema = await catalog.read_catalog(conn)
    tables = {r.name for r in schema.relations if r.kind in ("r", "p")} - YOYO
    classified = classification()
    assert set(classified) - tables == set(), "classified tables that do not exist"
    assert tables - set(classified) == set(), "tables missing from docs/scale-out.md's classification"


async def test_distributed_tables_carry_their_column_in_every_key(conn: asyncpg.Connection) -> None:
    schema = await catalog.read_catalog(conn)
    columns = {(c.table_name, c.name) for c in schema.columns}
    keys = [(c.table_name, c.name, c.definition) for c in schema.constraints if c.type in ("p", "u")]
    keys += [(i.table_name, i.name, i.definition) for i in schema.indexes if "CREATE UNIQUE INDEX" in i.definition]
    listed = exceptions()
    violations: set[tuple[str, str]] = set()
    for table, (kind, column) in classification().items():
        if kind != "distributed":
            continue
        assert (table, column) in columns, f"{table} has no distribution column {column}"
        for key_table, name, definition in keys:
            if key_table == table and column not in _key_columns(definition):
                violations.add((table, name))
    assert violations - listed == set(), (
        "keys of distributed tables without their distribution column (add it to the key; "
        "docs/scale-out.md lists only today's exceptions)")
    assert listed - violations == set(), "stale entries on docs/scale-out.md's exception list"


def test_distribute_sql_matches_the_document() -> None:
    sql = DDL.read_text()
    distributed = dict(re.findall(r"create_distributed_table\('(\w+)', '(\w+)'", sql))
    reference = set(re.findall(r"create_reference_table\('(\w+)'\)", sql))
    classified = classification()
    assert distributed == {t: c for t, (k, c) in classified.items() if k == "distributed"}
    assert reference == {t for t, (k, _) in classified.items() if k == "reference"}
    for anchor in set(re.findall(r"colocate_with => '(\w+)'", sql)):
        assert anchor in distributed
