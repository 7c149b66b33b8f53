"""One consistent, normalized read of the public schema from ``pg_catalog``.

Rows are sorted here, in Python (code-point order), and not by the server,
whose collation may differ between machines: the snapshot built from them
must be byte-stable. ``search_path`` is pinned to ``public`` for the read,
so ``pg_get_*def()`` qualify names the same way for every role.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from service.db import migrate
from service.db import platform_repo as repo
from service.db.embedded import bin_path
from service.db.queries import Connection


@dataclass(frozen=True)
class Catalog:
    extensions: list[str]
    types: list[repo.TypeRow]
    functions: list[repo.FunctionRow]
    relations: list[repo.RelationRow]
    columns: list[repo.ColumnRow]
    constraints: list[repo.ConstraintRow]
    indexes: list[repo.IndexRow]
    triggers: list[repo.TriggerRow]
    grants: list[repo.GrantRow]
    row_security: list[repo.RowSecurityRow]

    def tables(self) -> list[repo.RelationRow]:
        return [r for r in self.relations if r.kind in ("r", "p")]

    def columns_of(self, table: str) -> list[repo.ColumnRow]:
        return [c for c in self.columns if c.table_name == table]

    def constraints_of(self, table: str) -> list[repo.ConstraintRow]:
        return [c for c in self.constraints if c.table_name == table]

    def indexes_of(self, table: str) -> list[repo.IndexRow]:
        return [i for i in self.indexes if i.table_name == table]

    def triggers_of(self, table: str) -> list[repo.TriggerRow]:
        return [t for t in self.triggers if t.table_name == table]

    def grants_of(self, table: str) -> list[repo.GrantRow]:
        return [g for g in self.grants if g.table_name == table]

    def row_security_of(self, table: str) -> list[repo.RowSecurityRow]:
        return [r for r in self.row_security if r.table_name == table]


CONSTRAINT_ORDER = {"p": 0, "u": 1, "f": 2, "c": 3, "x": 4}


async def read_catalog(conn: Connection) -> Catalog:
    """The schema as of one snapshot of the catalog (repeatable read, read only)."""
    async with conn.transaction(isolation="repeatable_read", readonly=True):
        await repo.pin_search_path(conn)
        return Catalog(
            extensions=sorted(await repo.catalog_extensions(conn)),
            types=sorted(await repo.catalog_types(conn), key=lambda t: t.name),
            functions=sorted(await repo.catalog_functions(conn), key=lambda f: f.signature),
            relations=sorted(await repo.catalog_relations(conn), key=lambda r: r.name),
            columns=sorted(await repo.catalog_columns(conn), key=lambda c: (c.table_name, c.position)),
            constraints=sorted(await repo.catalog_constraints(conn),
                               key=lambda c: (c.table_name, CONSTRAINT_ORDER[c.type], c.name)),
            indexes=sorted(await repo.catalog_indexes(conn), key=lambda i: (i.table_name, i.name)),
            triggers=sorted(await repo.catalog_triggers(conn), key=lambda t: (t.table_name, t.name)),
            grants=sorted(await repo.catalog_table_grants(conn), key=lambda g: (g.table_name, g.grantee)),
            row_security=sorted(await repo.catalog_row_security(conn), key=lambda r: (r.table_name, r.name)),
        )


async def read_catalog_at(dsn: str) -> Catalog:
    conn = await asyncpg.connect(dsn)
    try:
        return await read_catalog(conn)
    finally:
        await conn.close()


def with_database(dsn: str, name: str) -> str:
    return urlunsplit(urlsplit(dsn)._replace(path=f"/{name}"))


async def fresh_catalog(dsn: str) -> Catalog:
    """The catalog of a scratch database on ``dsn``'s server after every migration.

    The snapshot and the docs describe what the migrations build, not what a
    long-lived database has drifted into; the role needs CREATEDB. The
    server's own createdb/dropdb programs are used (no SQL built from a name).
    """
    name = f"service_schema_{os.getpid()}"

    def run(program: str, *args: str) -> None:
        subprocess.run([bin_path(program), f"--maintenance-db={dsn}", *args], check=True, capture_output=True,
                       text=True, timeout=120)

    run("dropdb", "--force", "--if-exists", name)
    run("createdb", name)
    try:
        scratch = with_database(dsn, name)
        migrate.upgrade(scratch)
        return await read_catalog_at(scratch)
    finally:
        run("dropdb", "--force", "--if-exists", name)
