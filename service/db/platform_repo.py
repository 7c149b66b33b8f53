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


@sql("platform/try_resource_lock")
async def try_resource_lock(conn: Connection, resource_key: str) -> bool: ...


@sql("platform/release_resource_lock")
async def release_resource_lock(conn: Connection, resource_key: str) -> bool: ...


class RolePrivileges(msgspec.Struct):
    is_superuser: bool
    bypasses_rls: bool
    can_create: bool
    owned_tables: int

    def excess(self) -> list[str]:
        """What this role may do that the service's role must not."""
        return [text for flag, text in (
            (self.is_superuser, "is a superuser"),
            (self.bypasses_rls, "bypasses row-level security"),
            (self.can_create, "may create objects in schema public (DDL)"),
            (self.owned_tables > 0, f"owns {self.owned_tables} tables"),
        ) if flag]


@sql("platform/current_role_privileges")
async def current_role_privileges(conn: Connection) -> RolePrivileges: ...
