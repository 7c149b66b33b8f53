"""``docs/schema.sql``: the catalog rendered as normalized DDL, and drift between two such texts.

The file is for reading and diffing, not for running (tables come in name
order, so an FK may name a table defined further down). Each table's section
also holds its row-level security (ENABLE/FORCE, policies) and the
privileges granted on it to roles other than its owner (``service_app``'s
grants: the audit log's append-only rule is part of the schema). It is made of
sections, each opened by a ``-- <Kind>: <name>`` line. Inside a table's
section every column, constraint, index, trigger and comment is one line,
so the drift check reads objects back from the text with no SQL parser:
both sides (the committed file and the live database) go through
``render`` and ``objects``, and differences are compared per object.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from service.config import PROJECT_ROOT
from service.db.platform_repo import ColumnRow, RelationRow
from service.db.queries import Connection
from service.dba.catalog import Catalog, read_catalog

SNAPSHOT_PATH = PROJECT_ROOT / "docs" / "schema.sql"

HEADER = """\
-- docs/schema.sql: the schema of a freshly migrated database, generated from
-- pg_catalog by `python -m service db snapshot`. Do not edit: change a
-- migration, then regenerate; the diff of this file is the schema change.
-- `python -m service db verify` compares a live database with this file.
-- Objects sorted by name, columns in table order, yoyo's tables left out.
-- For reading and diffing, not for running.
"""

_PLAIN = re.compile(r"[a-z_][a-z0-9_$]*")


def ident(name: str) -> str:
    return name if _PLAIN.fullmatch(name) else '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """A one-line SQL string literal (E'' with escapes when the text has line breaks)."""
    if any(c in text for c in "\\\n\r\t"):
        escaped = (text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n")
                   .replace("\r", "\\r").replace("\t", "\\t"))
        return f"E'{escaped}'"
    return "'" + text.replace("'", "''") + "'"


def column_sql(c: ColumnRow) -> str:
    parts = [ident(c.name), c.type]
    if c.collation:
        parts.append(f"COLLATE {ident(c.collation)}")
    if c.not_null:
        parts.append("NOT NULL")
    if c.generated:
        parts.append(f"GENERATED ALWAYS AS ({c.default_expr}) {'STORED' if c.generated == 's' else 'VIRTUAL'}")
    elif c.default_expr is not None:
        parts.append(f"DEFAULT {c.default_expr}")
    if c.identity:
        parts.append(f"GENERATED {'ALWAYS' if c.identity == 'a' else 'BY DEFAULT'} AS IDENTITY")
    return " ".join(parts)


def _comment(what: str, comment: str | None) -> list[str]:
    return [] if comment is None else [f"COMMENT ON {what} IS {literal(comment)};"]


def render(cat: Catalog) -> str:
    """The whole snapshot text; same catalog, same bytes."""
    sections = [HEADER]
    for ext in cat.extensions:
        sections.append(f"-- Extension: {ext}\nCREATE EXTENSION {ident(ext)};\n")
    for t in cat.types:
        keyword = t.definition.split(" ", 1)[0]  # TYPE or DOMAIN
        lines = [f"-- Type: {t.name}", f"CREATE {t.definition};", *_comment(f"{keyword} {ident(t.name)}", t.comment)]
        sections.append("\n".join(lines) + "\n")
    for f in cat.functions:
        lines = [f"-- Function: {f.signature}", f.definition.rstrip() + ";", *_comment(f"FUNCTION {f.signature}",
                                                                                         f.comment)]
        sections.append("\n".join(lines) + "\n")
    for rel in cat.relations:
        if rel.kind in ("v", "m"):
            kind = "MATERIALIZED VIEW" if rel.kind == "m" else "VIEW"
            lines = [f"-- View: {rel.name}", f"CREATE {kind} {ident(rel.name)} AS",
                     rel.view_query.rstrip().rstrip(";") + ";", *_comment(f"{kind} {ident(rel.name)}", rel.comment)]
            sections.append("\n".join(lines) + "\n")
        else:
            sections.append(_table(cat, rel))
    return "\n".join(sections)


def _table(cat: Catalog, rel: RelationRow) -> str:
    name = ident(rel.name)
    body = [column_sql(c) for c in cat.columns_of(rel.name)]
    body += [f"CONSTRAINT {ident(c.name)} {c.definition}" for c in cat.constraints_of(rel.name)]
    lines = [f"-- Table: {rel.name}", f"CREATE {'UNLOGGED ' if rel.unlogged else ''}TABLE {name} ("]
    lines += [f"    {item}," for item in body[:-1]] + [f"    {item}" for item in body[-1:]]
    lines.append(f"){' PARTITION BY ' + rel.partition_key if rel.partition_key else ''};")
    lines += [f"{i.definition};" for i in cat.indexes_of(rel.name)]
    lines += [f"{t.definition};" for t in cat.triggers_of(rel.name)]
    for r in cat.row_security_of(rel.name):
        lines.append(f"CREATE POLICY {ident(r.name)} ON {name} {r.definition};" if r.name
                     else f"ALTER TABLE {name} {r.definition};")
    lines += [f"GRANT {g.privileges} ON TABLE {name} TO {g.grantee};" for g in cat.grants_of(rel.name)]
    lines += _comment(f"TABLE {name}", rel.comment)
    for c in cat.columns_of(rel.name):
        lines += _comment(f"COLUMN {name}.{ident(c.name)}", c.comment)
    for con in cat.constraints_of(rel.name):
        lines += _comment(f"CONSTRAINT {ident(con.name)} ON {name}", con.comment)
    for i in cat.indexes_of(rel.name):
        lines += _comment(f"INDEX {ident(i.name)}", i.comment)
    for t in cat.triggers_of(rel.name):
        lines += _comment(f"TRIGGER {ident(t.name)} ON {name}", t.comment)
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------
# Reading objects back, and comparing.

_SECTION = re.compile(r"^-- (Extension|Type|Function|View|Table): (.+)$", re.M)
_NAME = re.compile(r'("(?:[^"]|"")*"|[^\s"]+) ?(.*)')
_INDEX = re.compile(r"^CREATE (?:UNIQUE )?INDEX (\S+) ON ")
_TRIGGER = re.compile(r"^CREATE (?:CONSTRAINT )?TRIGGER (\S+) ")
_COMMENT = re.compile(r"^COMMENT ON (\w+) (.+?) IS ")
_GRANT = re.compile(r"^GRANT .+ ON TABLE \S+ TO (\S+);$")
_POLICY = re.compile(r"^CREATE POLICY (\S+) ON ")
_ROW_SECURITY = re.compile(r"^ALTER TABLE \S+ (?:ENABLE|FORCE) ROW LEVEL SECURITY")

Key = tuple[str, str]  # (kind, name): ("column", "users.email")


def objects(text: str) -> dict[Key, str]:
    """Every object of a snapshot text, keyed by (kind, qualified name), valued by its rendered definition."""
    found: dict[Key, str] = {}
    sections = list(_SECTION.finditer(text))
    for m, following in zip(sections, [*sections[1:], None], strict=True):
        kind, name = m.group(1).lower(), m.group(2)
        body = text[m.end():following.start() if following else len(text)].strip("\n")
        if kind == "table":
            found.update(_table_objects(name, body))
        else:
            found[(kind, name)] = body
    return found


def _table_objects(table: str, body: str) -> dict[Key, str]:
    found: dict[Key, str] = {}
    head: list[str] = []
    order: list[str] = []
    for line in body.splitlines():
        if line.startswith("    CONSTRAINT "):
            cname, definition = _NAME.fullmatch(line[15:].rstrip(",")).groups()  # type: ignore[union-attr]
            found[("constraint", f"{table}.{cname}")] = definition
        elif line.startswith("    "):
            column, definition = _NAME.fullmatch(line[4:].rstrip(",")).groups()  # type: ignore[union-attr]
            found[("column", f"{table}.{column}")] = definition
            order.append(column)
        elif m := _INDEX.match(line):
            found[("index", f"{table}.{m.group(1)}")] = line
        elif m := _TRIGGER.match(line):
            found[("trigger", f"{table}.{m.group(1)}")] = line
        elif m := _COMMENT.match(line):
            found[("comment", f"{m.group(1).lower()} {m.group(2)}")] = line
        elif m := _GRANT.match(line):
            found[("grant", f"{table} to {m.group(1)}")] = line
        elif m := _POLICY.match(line):
            found[("policy", f"{table}.{m.group(1)}")] = line
        elif _ROW_SECURITY.match(line):
            found[("row security", table)] = line
        else:
            head.append(line)
    found[("table", table)] = "\n".join(head)
    found[("column order", table)] = ", ".join(order)
    return found


@dataclass(frozen=True)
class Difference:
    """One object that differs: ``missing`` (in the snapshot only), ``extra`` (in the database only), ``changed``."""

    state: str
    kind: str
    name: str
    detail: str

    def __str__(self) -> str:
        return f"{self.state} {self.kind} {self.name}: {self.detail}"

    @property
    def short(self) -> str:
        return f"{self.state} {self.kind} {self.name}"


def _one_line(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def _changed(expected: str, actual: str) -> str:
    if "\n" not in expected and "\n" not in actual:
        return f"snapshot has {_one_line(expected)!r}, database has {_one_line(actual)!r}"
    lines = difflib.unified_diff(expected.splitlines(), actual.splitlines(), "snapshot", "database", n=0, lineterm="")
    return "differs:\n" + "\n".join(f"    {line}" for line in lines)


def compare(snapshot_text: str, live_text: str) -> list[Difference]:
    """Object-level differences between the snapshot and a live database's rendering."""
    expected, actual = objects(snapshot_text), objects(live_text)
    differences = []
    for key in sorted(expected.keys() | actual.keys()):
        kind, name = key
        want, have = expected.get(key), actual.get(key)
        if want == have:
            continue
        if kind == "column order":
            same_columns = want is not None and have is not None and sorted(want.split(", ")) == sorted(
                have.split(", "))
            if same_columns:
                differences.append(Difference("changed", kind, name, f"snapshot ({want}), database ({have})"))
        elif have is None:
            differences.append(Difference("missing", kind, name, _one_line(want or "")))
        elif want is None:
            differences.append(Difference("extra", kind, name, _one_line(have)))
        else:
            differences.append(Difference("changed", kind, name, _changed(want, have)))
    return differences


def read_snapshot(path: Path = SNAPSHOT_PATH) -> str:
    return path.read_text(encoding="utf-8")


def write_snapshot(text: str, path: Path = SNAPSHOT_PATH) -> bool:
    """Write the file if its content changes; True when it did."""
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


@functools.cache
def _cached_snapshot(path: Path) -> str | None:
    return read_snapshot(path) if path.exists() else None


async def drift(conn: Connection, path: Path = SNAPSHOT_PATH) -> list[Difference]:
    """How the connected database differs from the committed snapshot (the file is read once per process)."""
    text = _cached_snapshot(path)
    if text is None:
        return [Difference("missing", "snapshot", str(path), "no such file; run python -m service db snapshot")]
    return compare(text, render(await read_catalog(conn)))
