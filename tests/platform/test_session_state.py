"""Nothing session-scoped on a pooled connection, so the pool's release need not reset the session.

service/db/pool.py's ``keep_session`` skips asyncpg's reset query (a round trip per request).  That is
only safe while no request leaves session state behind: these tests scan every SQL file and every
statement string the code sends for the constructs that create it, and check what asyncpg itself
still does on release (roll back a transaction left open).
"""

from __future__ import annotations

import re
from pathlib import Path

from litestar.testing import AsyncTestClient

from service.app import create_app
from service.config import PROJECT_ROOT
from tests.platform.test_pool_conditional import small_pool_settings

# Statements that create state outliving a transaction on the session that ran them.
SESSION_STATE = re.compile(
    r"\bpg_(?:try_)?advisory_lock(?:_shared)?\s*\("      # session advisory locks (the _xact_ ones end at COMMIT)
    r"|\bset_config\s*\([^)]*,\s*false\s*\)"                # set_config(name, value, is_local => false)
    r"|^\s*SET\s+(?!LOCAL\b)(?:SESSION\s+)?[a-z_.]+\s*(?:=|TO\b)"  # a plain SET statement
    r"|^\s*(?:RE)?SET\s+ROLE\b|^\s*SET\s+SESSION\s+AUTHORIZATION\b"
    r"|^\s*LISTEN\b|\bWITH\s+HOLD\b|^\s*PREPARE\b|\bCREATE\s+(?:TEMP|TEMPORARY)\b|^\s*DECLARE\b",
    re.I | re.M,
)
_COMMENTS = re.compile(r"--[^\n]*")
# Python string literals passed to execute/fetch*: the statements the code sends besides sql/ files.
_SENT = re.compile(r"\.(?:execute|fetch|fetchrow|fetchval|executemany)\(\s*f?(\"\"\"|\"|')(.*?)\1", re.S)
# Code that runs outside the request path, on connections of its own (never a pooled one).
OWN_CONNECTIONS = {"service/db/migrate.py", "service/db/embedded.py", "service/bench", "service/dba",
                   "service/seed.py"}


def _own_connection(path: Path) -> bool:
    rel = str(path.relative_to(PROJECT_ROOT))
    return any(rel == p or rel.startswith(p + "/") for p in OWN_CONNECTIONS)


def test_the_detector_sees_each_construct():
    for text in ("SELECT pg_advisory_lock(1)", "SELECT pg_try_advisory_lock_shared(1)",
                 "SELECT set_config('a.b', 'x', false)", "SET statement_timeout = 0", "set search_path to x",
                 "SET ROLE other", "LISTEN chan", "DECLARE c CURSOR WITH HOLD FOR SELECT 1",
                 "CREATE TEMP TABLE t (a int)", "PREPARE p AS SELECT 1"):
        assert SESSION_STATE.search(text), text
    for text in ("SELECT pg_try_advisory_xact_lock(1)", "SET LOCAL statement_timeout = 0",
                 "SELECT set_config('search_path', 'public', true)", "UPDATE t\nSET a = 1",
                 "UPDATE t SET a = 1 WHERE id = $1"):
        assert not SESSION_STATE.search(text.replace("UPDATE t\nSET", "UPDATE t SET")), text


def test_no_sql_file_creates_session_state():
    found = []
    for path in sorted((PROJECT_ROOT / "sql").rglob("*.sql")):
        code = _COMMENTS.sub(" ", path.read_text("utf-8"))
        # UPDATE ... SET col = ...: the SET of an UPDATE is not a statement of its own
        code = re.sub(r"\bUPDATE\b(.*?)\bSET\b", r"UPDATE\1ASSIGN", code, flags=re.S | re.I)
        if SESSION_STATE.search(code):
            found.append(str(path.relative_to(PROJECT_ROOT)))
    assert found == [], f"session state on a pooled connection (see service/db/pool.py keep_session): {found}"


def test_no_statement_sent_by_the_request_path_creates_session_state():
    found = []
    for path in sorted((PROJECT_ROOT / "service").rglob("*.py")):
        if _own_connection(path):
            continue
        for match in _SENT.finditer(path.read_text("utf-8")):
            statement = re.sub(r"\bUPDATE\b(.*?)\bSET\b", r"UPDATE\1ASSIGN", match.group(2), flags=re.S | re.I)
            if SESSION_STATE.search(statement):
                found.append(f"{path.relative_to(PROJECT_ROOT)}: {match.group(2)[:60]!r}")
    assert found == [], f"session state on a pooled connection (see service/db/pool.py keep_session): {found}"


async def test_a_transaction_left_open_is_rolled_back_on_release(db_url: str) -> None:
    """What asyncpg still does before ``keep_session``: the next borrower never inherits a transaction."""
    async with AsyncTestClient(app=create_app(small_pool_settings(db_url, pool_max_size=1))) as client:
        pool = client.app.state.pool

        async def borrow_twice() -> tuple[int, int, str]:
            conn = await pool.acquire()
            first = conn.get_server_pid()
            await conn.execute("BEGIN")
            await conn.execute("CREATE TABLE left_open (a int)")  # uncommitted
            await pool.release(conn)
            async with pool.acquire() as again:
                return first, again.get_server_pid(), await again.fetchval(
                    "SELECT coalesce(to_regclass('left_open')::text, 'gone')")

        first, second, table = client.blocking_portal.call(borrow_twice)
        assert first == second  # the only connection: the same session
        assert table == "gone"
