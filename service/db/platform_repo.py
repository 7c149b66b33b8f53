"""Platform queries (sql/platform/): what the service asks about its own database."""

from __future__ import annotations

import msgspec

from service.db.queries import Connection, sql


@sql("platform/applied_migrations")
async def applied_migrations(conn: Connection) -> list[str]: ...


class SchemaObject(msgspec.Struct, frozen=True):
    kind: str
    name: str
    definition: str


@sql("platform/schema_objects")
async def schema_objects(conn: Connection) -> list[SchemaObject]: ...
