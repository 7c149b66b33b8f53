"""check-sql: the SQL files against the migrated schema and their repository functions."""

from __future__ import annotations

import shutil
from uuid import UUID

import msgspec

from service.db import queries
from service.db.queries import Binding, check_binding, check_bindings


async def test_every_sql_file_matches_schema_and_function(conn):
    assert await check_bindings(conn) == []
    assert len(queries.BINDINGS) >= 15


async def test_a_renamed_column_is_caught_naming_file_and_column(conn):
    await conn.execute("ALTER TABLE users RENAME COLUMN display_name TO full_name")
    problems = await check_bindings(conn)
    assert problems, "renaming a column must fail the check"
    text = "\n".join(problems)
    assert "sql/accounts/get_user.sql" in text
    assert "display_name" in text


async def test_a_changed_column_type_is_caught(conn):
    await conn.execute("ALTER TABLE audit_log DROP CONSTRAINT audit_log_details_chk")
    await conn.execute("ALTER TABLE audit_log ALTER COLUMN details TYPE text USING details::text")
    problems = "\n".join(await check_bindings(conn))
    assert "sql/accounts/list_audit.sql: column details is text" in problems


class Row(msgspec.Struct):
    id: UUID
    email: str


async def test_wrong_parameter_and_column_types_are_caught(conn):
    async def fn(conn: queries.Connection, user_id: int) -> Row | None: ...

    binding = Binding(path="accounts/probe", text="SELECT id, email, is_active FROM users WHERE id = $1",
                      function=fn, params=(int,), returns=Row | None, kind="row", row_type=Row)
    problems = "\n".join(await check_binding(conn, binding))
    assert "parameter $1 is uuid, fn() passes int" in problems
    assert "column(s) is_active not in Row" in problems


async def test_a_file_used_by_no_function_is_caught(conn, tmp_path, monkeypatch):
    copy = tmp_path / "sql"
    shutil.copytree(queries.SQL_ROOT, copy)
    (copy / "accounts" / "forgotten.sql").write_text("SELECT 1;\n")
    monkeypatch.setattr(queries, "SQL_ROOT", copy)
    assert "sql/accounts/forgotten.sql: used by no repository function" in await check_bindings(conn)


async def test_array_parameters_and_columns_are_understood(conn):
    async def fn(conn: queries.Connection, ids: list[UUID]) -> list[str]: ...

    ok = Binding(path="accounts/arrays", text="SELECT email FROM users WHERE id = ANY($1::uuid[])",
                 function=fn, params=(list[UUID],), returns=list[str], kind="values", row_type=str)
    assert await check_binding(conn, ok) == []
    wrong = Binding(path="accounts/arrays", text="SELECT email FROM users WHERE id = ANY($1::uuid[])",
                    function=fn, params=(list[int],), returns=list[str], kind="values", row_type=str)
    assert "parameter $1 is uuid[]" in "\n".join(await check_binding(conn, wrong))
