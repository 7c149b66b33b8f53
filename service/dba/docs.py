"""``docs/schema.md``: the schema for people, generated from the same catalog read as the snapshot.

Every table with its comment, columns (type, nullability, default, comment),
constraints, indexes and triggers; the functions and types; and a Mermaid
entity-relationship diagram of all tables built from the foreign keys.
"""

from __future__ import annotations

import re

from service.config import PROJECT_ROOT
from service.db.platform_repo import ColumnRow
from service.dba.catalog import Catalog

DOCS_PATH = PROJECT_ROOT / "docs" / "schema.md"

_SHORT_TYPES = {
    "timestamp with time zone": "timestamptz",
    "timestamp without time zone": "timestamp",
    "time with time zone": "timetz",
    "time without time zone": "time",
    "character varying": "varchar",
    "double precision": "float8",
    "bit varying": "varbit",
}
_CONSTRAINT_KINDS = {"p": "primary key", "u": "unique", "f": "foreign key", "c": "check", "x": "exclusion"}


def _cell(text: str | None) -> str:
    """Markdown table cell: pipes escaped, line breaks as <br>."""
    if not text:
        return ""
    return text.replace("|", "\\|").replace("\r\n", "\n").replace("\n", "<br>")


def _code(text: str | None) -> str:
    return f"`{_cell(text)}`" if text else ""


def _mermaid_type(sql_type: str) -> str:
    base = re.sub(r"\(.*?\)", "", sql_type)
    array = base.endswith("[]")
    base = base.removesuffix("[]")
    base = _SHORT_TYPES.get(base, base).replace(" ", "_")
    return base + ("[]" if array else "")


def _default(c: ColumnRow) -> str:
    if c.identity:
        return f"identity ({'always' if c.identity == 'a' else 'by default'})"
    if c.generated:
        return f"generated: `{_cell(c.default_expr)}`"
    return _code(c.default_expr)


def _diagram(cat: Catalog) -> list[str]:
    lines = ["```mermaid", "erDiagram"]
    for table in cat.tables():
        keys: dict[str, set[str]] = {}
        for con in cat.constraints_of(table.name):
            mark = {"p": "PK", "f": "FK", "u": "UK"}.get(con.type)
            if mark:
                for column in _constraint_columns(con.definition):
                    keys.setdefault(column, set()).add(mark)
        lines.append(f"    {table.name} {{")
        for c in cat.columns_of(table.name):
            mark = ", ".join(k for k in ("PK", "FK", "UK") if k in keys.get(c.name, set()))
            lines.append(f"        {_mermaid_type(c.type)} {c.name}{' ' + mark if mark else ''}")
        lines.append("    }")
    not_null = {(c.table_name, c.name) for c in cat.columns if c.not_null}
    for con in cat.constraints:
        if con.type != "f" or not con.references_table:
            continue
        columns = _constraint_columns(con.definition)
        parent_side = "||" if all((con.table_name, c) in not_null for c in columns) else "|o"
        lines.append(f'    {con.references_table} {parent_side}--o{{ {con.table_name} : "{", ".join(columns)}"')
    lines.append("```")
    return lines


def _constraint_columns(definition: str) -> list[str]:
    """The local columns of a PRIMARY KEY / UNIQUE / FOREIGN KEY definition."""
    m = re.match(r"^(?:PRIMARY KEY|UNIQUE(?: NULLS NOT DISTINCT)?|FOREIGN KEY) \(([^)]*)\)", definition)
    return [c.strip().strip('"') for c in m.group(1).split(",")] if m else []


def render_markdown(cat: Catalog) -> str:
    out = [
        "# Database schema",
        "",
        "Generated from `pg_catalog` of a freshly migrated database by `python -m service db docs`;",
        "do not edit (a test fails when it is stale). The same schema as DDL: [schema.sql](schema.sql).",
        "",
        "## Tables",
        "",
    ]
    out += [f"- [{t.name}](#{t.name}): {_cell(t.comment) or '*(no comment)*'}" for t in cat.tables()]
    out += ["", "## Entity-relationship diagram", "", *_diagram(cat), ""]
    for table in cat.tables():
        out += [f"## {table.name}", "", _cell(table.comment) or "*(no comment)*", ""]
        if table.partition_key:
            out += [f"Partitioned by `{table.partition_key}`.", ""]
        out += ["| column | type | null | default | comment |", "|---|---|---|---|---|"]
        for c in cat.columns_of(table.name):
            out.append(f"| `{c.name}` | `{_cell(c.type)}` | {'' if c.not_null else 'null'} | {_default(c)} | "
                       f"{_cell(c.comment)} |")
        out.append("")
        constraints = cat.constraints_of(table.name)
        if constraints:
            out += ["| constraint | kind | definition |", "|---|---|---|"]
            out += [f"| `{con.name}` | {_CONSTRAINT_KINDS[con.type]} | {_code(con.definition)}"
                    f"{'<br>' + _cell(con.comment) if con.comment else ''} |" for con in constraints]
            out.append("")
        others = [(i.name, "index", i.definition, i.comment) for i in cat.indexes_of(table.name)]
        others += [(t.name, "trigger", t.definition, t.comment) for t in cat.triggers_of(table.name)]
        if others:
            out += ["| index / trigger | kind | definition |", "|---|---|---|"]
            out += [f"| `{name}` | {kind} | {_code(definition)}{'<br>' + _cell(comment) if comment else ''} |"
                    for name, kind, definition, comment in others]
            out.append("")
    views = [r for r in cat.relations if r.kind in ("v", "m")]
    if views:
        out += ["## Views", ""]
        for v in views:
            out += [f"### {v.name}", "", _cell(v.comment) or "*(no comment)*", "", "```sql", v.view_query.strip(),
                    "```", ""]
    if cat.types:
        out += ["## Types", "", "| type | definition | comment |", "|---|---|---|"]
        out += [f"| `{t.name}` | {_code(t.definition)} | {_cell(t.comment)} |" for t in cat.types]
        out.append("")
    if cat.functions:
        out += ["## Functions", ""]
        for f in cat.functions:
            out += [f"### {f.signature}", "", _cell(f.comment) or "*(no comment)*", "", "```sql",
                    f.definition.strip(), "```", ""]
    if cat.extensions:
        out += ["## Extensions", "", *[f"- `{e}`" for e in cat.extensions], ""]
    return "\n".join(out).rstrip("\n") + "\n"
