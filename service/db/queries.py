"""SQL files as typed async functions.

Every statement lives in ``sql/<domain>/<name>.sql``.  A repository function
declares its contract in its signature and this module supplies the body::

    @sql("tasks/list_open")
    async def list_open(conn: Connection, user_id: UUID, before: int | None, limit: int) -> list[Task]: ...

- the parameters after ``conn`` are ``$1..$n``, in order;
- the return annotation is the cardinality: ``list[Row]`` (all rows),
  ``Row | None`` (at most one), ``Row`` (exactly one), a scalar such as
  ``int | None`` (first column of the first row), ``list[int]`` (first
  column of every row) or ``None`` (run it, return nothing);
- a row Struct's fields are the statement's columns, in order, so rows are
  built positionally (``Row(*record)``) with no per-row name lookups.

``check_bindings`` is the check that replaces an ORM's model/table link: it
prepares every file against the migrated database and compares PostgreSQL's
own description of parameters and columns with those annotations.
"""

from __future__ import annotations

import functools
import inspect
import logging
import time
import types
import typing
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar, Union
from uuid import UUID

import asyncpg
import msgspec

from service.config import PROJECT_ROOT

SQL_ROOT = PROJECT_ROOT / "sql"
log = logging.getLogger("service.sql")

Connection = asyncpg.Connection
"""What repository functions take first: a connection (or a pool's connection proxy)."""

F = TypeVar("F", bound=Callable[..., Awaitable[Any]])


class _Echo:
    """SQL_ECHO: log each statement's file name and duration."""

    enabled = False


def set_echo(enabled: bool) -> None:
    _Echo.enabled = enabled


@dataclass(frozen=True)
class Binding:
    """One SQL file bound to one repository function."""

    path: str
    text: str
    function: Callable[..., Any]
    params: tuple[Any, ...]  # annotations of $1..$n
    returns: Any  # the return annotation
    kind: str  # rows | row | one | value | values | none
    row_type: Any  # the Struct (rows/row/one) or scalar type (value/values)


BINDINGS: dict[str, Binding] = {}


def load_sql(path: str) -> str:
    file = SQL_ROOT / f"{path}.sql"
    return file.read_text(encoding="utf-8")


def _strip_optional(tp: Any) -> tuple[Any, bool]:
    """``X | None`` -> (X, True); anything else -> (tp, False)."""
    if typing.get_origin(tp) in (Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) != len(typing.get_args(tp)) and len(args) == 1:
            return args[0], True
    return tp, False


def _is_struct(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, msgspec.Struct)


def _classify(returns: Any) -> tuple[str, Any]:
    if returns is None or returns is type(None):
        return "none", None
    if typing.get_origin(returns) is list:
        (item,) = typing.get_args(returns)
        return ("rows", item) if _is_struct(item) else ("values", item)
    inner, optional = _strip_optional(returns)
    if _is_struct(inner):
        return ("row" if optional else "one"), inner
    return "value", inner


def sql(path: str) -> Callable[[F], F]:
    """Bind the decorated repository function to ``sql/<path>.sql`` (see the module docstring)."""

    text = load_sql(path)

    def bind(fn: F) -> F:
        hints = typing.get_type_hints(fn, include_extras=True)
        names = list(inspect.signature(fn).parameters)[1:]  # skip conn
        kind, row_type = _classify(hints.get("return"))
        BINDINGS[path] = Binding(path, text, fn, tuple(hints[n] for n in names), hints.get("return"),
                                 kind, row_type)
        run = _runner(kind, row_type, text)

        @functools.wraps(fn)
        async def wrapper(conn: Connection, *args: Any) -> Any:
            if not _Echo.enabled:
                return await run(conn, args)
            started = time.perf_counter()
            try:
                return await run(conn, args)
            finally:
                log.info("sql %s %.2f ms", path, (time.perf_counter() - started) * 1000)

        wrapper.__sql_path__ = path  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return bind


def _runner(kind: str, row_type: Any, text: str) -> Callable[[Connection, tuple[Any, ...]], Awaitable[Any]]:
    if kind == "rows":
        async def rows(conn: Connection, args: tuple[Any, ...]) -> Any:
            return [row_type(*r) for r in await conn.fetch(text, *args)]
        return rows
    if kind == "row":
        async def row(conn: Connection, args: tuple[Any, ...]) -> Any:
            r = await conn.fetchrow(text, *args)
            return None if r is None else row_type(*r)
        return row
    if kind == "one":
        async def one(conn: Connection, args: tuple[Any, ...]) -> Any:
            r = await conn.fetchrow(text, *args)
            if r is None:
                raise LookupError(f"statement returned no row where one was promised: {text[:80]!r}")
            return row_type(*r)
        return one
    if kind == "values":
        async def values(conn: Connection, args: tuple[Any, ...]) -> Any:
            return [r[0] for r in await conn.fetch(text, *args)]
        return values
    if kind == "value":
        async def value(conn: Connection, args: tuple[Any, ...]) -> Any:
            return await conn.fetchval(text, *args)
        return value

    async def none(conn: Connection, args: tuple[Any, ...]) -> Any:
        await conn.execute(text, *args)
    return none


# ---------------------------------------------------------------------------
# The check: SQL files against the migrated schema and their functions.

_JSON = object()  # marker: jsonb/json accept any JSON-shaped Python type
PG_TO_PY: dict[str, Any] = {
    "int2": int, "int4": int, "int8": int, "oid": int,
    "text": str, "varchar": str, "bpchar": str, "name": str, "citext": str,
    "bool": bool, "uuid": UUID, "timestamptz": datetime, "date": date,
    "numeric": Decimal, "float4": float, "float8": float, "bytea": bytes,
    "interval": timedelta, "jsonb": _JSON, "json": _JSON,
}


def _python_side(tp: Any) -> Any:
    """Reduce an annotation to what the wire carries: drop None, Annotated, Literal of str."""
    tp, _ = _strip_optional(tp)
    if typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
        tp, _ = _strip_optional(tp)
    if typing.get_origin(tp) is typing.Literal:
        return type(typing.get_args(tp)[0])
    return tp


def compatible(pg_type: Any, annotation: Any) -> bool:
    """Does a value of this PostgreSQL type fit this Python annotation (and the other way)?"""
    py = _python_side(annotation)
    if pg_type.kind == "array":
        if typing.get_origin(py) is not list:
            return False
        (item,) = typing.get_args(py) or (Any,)
        expected = PG_TO_PY.get(pg_type.name.removesuffix("[]").lstrip("_"))  # asyncpg says "text[]"
        return expected is not None and (_python_side(item) in (expected, Any))
    expected = PG_TO_PY.get(pg_type.name)
    if expected is None:
        return False
    if expected is _JSON:
        return True
    return py is expected or py is Any


def _type_name(annotation: Any) -> str:
    return getattr(annotation, "__name__", None) or str(annotation).replace("typing.", "")


async def check_binding(conn: Connection, b: Binding) -> list[str]:
    """Problems of one binding, each naming the file and the parameter or column."""
    where = f"sql/{b.path}.sql"
    try:
        stmt = await conn.prepare(b.text)
    except asyncpg.PostgresError as exc:
        return [f"{where}: does not prepare: {exc.__class__.__name__}: {exc}"]
    problems: list[str] = []
    pg_params = stmt.get_parameters()
    if len(pg_params) != len(b.params):
        problems.append(f"{where}: takes {len(pg_params)} parameters, {b.function.__name__}() passes "
                        f"{len(b.params)}")
    for i, (pg, ann) in enumerate(zip(pg_params, b.params, strict=False), start=1):
        if not compatible(pg, ann):
            problems.append(f"{where}: parameter ${i} is {pg.name}, {b.function.__name__}() passes "
                            f"{_type_name(ann)}")
    columns = stmt.get_attributes()
    if b.kind in ("rows", "row", "one"):
        fields = b.row_type.__struct_fields__
        hints = typing.get_type_hints(b.row_type, include_extras=True)
        names = [a.name for a in columns]
        if list(fields) != names:
            missing = [f for f in fields if f not in names]
            extra = [n for n in names if n not in fields]
            detail = "; ".join(filter(None, [
                f"no column for field(s) {', '.join(missing)}" if missing else "",
                f"column(s) {', '.join(extra)} not in {b.row_type.__name__}" if extra else "",
                "" if missing or extra else "columns are out of the struct's field order",
            ]))
            problems.append(f"{where}: columns {names} do not match {b.row_type.__name__} fields "
                            f"{list(fields)}: {detail}")
        for attr in columns:
            if attr.name in hints and not compatible(attr.type, hints[attr.name]):
                problems.append(f"{where}: column {attr.name} is {attr.type.name}, "
                                f"{b.row_type.__name__}.{attr.name} is {_type_name(hints[attr.name])}")
    elif b.kind in ("value", "values"):
        if not columns:
            problems.append(f"{where}: returns no column, {b.function.__name__}() expects a value")
        elif not compatible(columns[0].type, b.row_type):
            problems.append(f"{where}: column {columns[0].name} is {columns[0].type.name}, "
                            f"{b.function.__name__}() returns {_type_name(b.row_type)}")
    elif columns:
        problems.append(f"{where}: returns columns but {b.function.__name__}() returns None")
    return problems


def import_all_repositories() -> None:
    """Import every module of the service so that every binding is registered."""
    import importlib
    import pkgutil

    import service

    for mod in pkgutil.walk_packages(service.__path__, "service."):
        if mod.name.endswith("__main__"):
            continue
        importlib.import_module(mod.name)


def unbound_files() -> list[str]:
    on_disk = {p.relative_to(SQL_ROOT).with_suffix("").as_posix() for p in Path(SQL_ROOT).rglob("*.sql")}
    return sorted(on_disk - BINDINGS.keys())


async def check_bindings(conn: Connection) -> list[str]:
    """Every problem across all SQL files: unbound files, parameters, columns, types."""
    import_all_repositories()
    problems = [f"sql/{p}.sql: used by no repository function" for p in unbound_files()]
    for path in sorted(BINDINGS):
        problems += await check_binding(conn, BINDINGS[path])
    return problems
