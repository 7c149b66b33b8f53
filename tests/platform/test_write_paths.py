"""docs/write-paths.md reviews every SQL file that writes, so the review stays complete as files are added.

A file writes when, outside comments and string literals, it has INSERT, UPDATE, DELETE or
MERGE (``FOR [NO KEY] UPDATE`` row locks and ``ON UPDATE/DELETE`` clauses do not count).
Every domain that has a writing file is in DOMAINS_REVIEWED (the review of issue #12 is complete); a
new domain joins the set with its review.  Every test the table names must exist.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from service.config import PROJECT_ROOT

DOMAINS_REVIEWED = {"accounts", "apps", "chats", "expenses", "idempotency", "jobs", "linked_accounts", "quest",
                    "ratelimit", "tasks"}
SQL_ROOT = PROJECT_ROOT / "sql"
DOC = PROJECT_ROOT / "docs" / "write-paths.md"

_COMMENTS_AND_STRINGS = re.compile(r"--[^\n]*|/\*.*?\*/|'(?:[^']|'')*'|\$\$.*?\$\$", re.S)
_NOT_WRITES = re.compile(r"\bFOR\s+(?:NO\s+KEY\s+)?UPDATE\b|\bON\s+(?:UPDATE|DELETE)\b", re.I)
_WRITES = re.compile(r"\b(?:INSERT|UPDATE|DELETE|MERGE)\b", re.I)
_TEST_REF = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")


def writes(sql: str) -> bool:
    code = _NOT_WRITES.sub(" ", _COMMENTS_AND_STRINGS.sub(" ", sql))
    return bool(_WRITES.search(code))


def writing_files() -> list[str]:
    return sorted(str(p.relative_to(PROJECT_ROOT)) for p in SQL_ROOT.rglob("*.sql") if writes(p.read_text("utf-8")))


def table_rows() -> dict[str, str]:
    """The review table's rows by file: ``| `sql/...` | ...``."""
    rows = {}
    for line in DOC.read_text("utf-8").splitlines():
        match = re.match(r"\|\s*`(sql/[^`]+\.sql)`\s*\|", line)
        if match:
            rows[match.group(1)] = line
    return rows


def test_every_domain_that_writes_is_reviewed():
    domains = {Path(f).parts[1] for f in writing_files()}
    assert domains <= DOMAINS_REVIEWED, f"review these domains in docs/write-paths.md: {domains - DOMAINS_REVIEWED}"


def test_every_writing_file_of_a_reviewed_domain_is_in_the_table():
    rows = table_rows()
    missing = [f for f in writing_files() if Path(f).parts[1] in DOMAINS_REVIEWED and f not in rows]
    assert missing == [], f"add these to docs/write-paths.md with their three verdicts and tests: {missing}"


def test_every_row_has_three_verdicts_and_a_test():
    for file, line in table_rows().items():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        assert len(cells) == 5 and all(cells), f"{file}: file | two at once | deleted meanwhile | PgBouncer | tests"
        assert _TEST_REF.search(cells[4]), f"{file}: name the proving test as `tests/...py::test_name`"


def test_every_row_names_a_file_that_exists_and_writes():
    for file in table_rows():
        path = PROJECT_ROOT / file
        assert path.is_file(), f"{file} is in docs/write-paths.md but does not exist"
        assert writes(path.read_text("utf-8")), f"{file} does not write: move it out of the table"


def test_every_test_named_in_the_doc_exists():
    for module, name in _TEST_REF.findall(DOC.read_text("utf-8")):
        source = (PROJECT_ROOT / module).read_text("utf-8")
        assert re.search(rf"^(?:async )?def {name}\(", source, re.M), f"{module}::{name} is named but not defined"


@pytest.mark.parametrize(("sql", "expected"), [
    ("SELECT 1 -- DELETE nothing\n", False),
    ("/* UPDATE */ SELECT 'INSERT' AS word", False),
    ("SELECT id FROM chats WHERE id = $1 FOR NO KEY UPDATE OF chats", False),
    ("SELECT id FROM t FOR UPDATE", False),
    ("WITH x AS (INSERT INTO t (a) VALUES (1) RETURNING a) SELECT a FROM x", True),
    ("delete from t where id = $1", True),
    ("MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DO NOTHING", True),
])
def test_the_detector(sql, expected):
    assert writes(sql) is expected
