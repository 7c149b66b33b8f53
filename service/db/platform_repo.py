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
# ---------------------------------------------------------------------------
# The catalog as the schema snapshot, drift check and schema docs read it
# (service/dba/). Run them inside one transaction after pin_search_path().


@sql("platform/pin_search_path")
async def pin_search_path(conn: Connection) -> str: ...


@sql("platform/catalog_extensions")
async def catalog_extensions(conn: Connection) -> list[str]: ...


class TypeRow(msgspec.Struct, frozen=True):
    name: str
    definition: str
    comment: str | None


@sql("platform/catalog_types")
async def catalog_types(conn: Connection) -> list[TypeRow]: ...


class FunctionRow(msgspec.Struct, frozen=True):
    signature: str
    definition: str
    comment: str | None


@sql("platform/catalog_functions")
async def catalog_functions(conn: Connection) -> list[FunctionRow]: ...


class RelationRow(msgspec.Struct, frozen=True):
    name: str
    kind: str  # r table, p partitioned table, v view, m materialized view
    unlogged: bool
    partition_key: str
    view_query: str
    comment: str | None


@sql("platform/catalog_relations")
async def catalog_relations(conn: Connection) -> list[RelationRow]: ...


class ColumnRow(msgspec.Struct, frozen=True):
    table_name: str
    name: str
    position: int
    type: str
    not_null: bool
    default_expr: str | None
    identity: str  # a ALWAYS, d BY DEFAULT, '' none
    generated: str  # s STORED, v VIRTUAL, '' none
    collation: str | None
    comment: str | None


@sql("platform/catalog_columns")
async def catalog_columns(conn: Connection) -> list[ColumnRow]: ...


class ConstraintRow(msgspec.Struct, frozen=True):
    table_name: str
    name: str
    type: str  # p, u, f, c, x
    definition: str
    references_table: str | None
    comment: str | None


@sql("platform/catalog_constraints")
async def catalog_constraints(conn: Connection) -> list[ConstraintRow]: ...


class IndexRow(msgspec.Struct, frozen=True):
    table_name: str
    name: str
    definition: str
    comment: str | None


@sql("platform/catalog_indexes")
async def catalog_indexes(conn: Connection) -> list[IndexRow]: ...


class TriggerRow(msgspec.Struct, frozen=True):
    table_name: str
    name: str
    definition: str
    comment: str | None


@sql("platform/catalog_triggers")
async def catalog_triggers(conn: Connection) -> list[TriggerRow]: ...


# ---------------------------------------------------------------------------
# Catalog rules (service/dba/rules.py): each returns one problem line per offender.


@sql("platform/rule_primary_key")
async def rule_primary_key(conn: Connection) -> list[str]: ...


@sql("platform/rule_fk_index")
async def rule_fk_index(conn: Connection) -> list[str]: ...


@sql("platform/rule_fk_on_delete")
async def rule_fk_on_delete(conn: Connection) -> list[str]: ...


@sql("platform/rule_enum_check")
async def rule_enum_check(conn: Connection, enum_like_names: str) -> list[str]: ...


@sql("platform/rule_timestamptz")
async def rule_timestamptz(conn: Connection) -> list[str]: ...


@sql("platform/rule_money_numeric")
async def rule_money_numeric(conn: Connection, money_like_names: str) -> list[str]: ...


@sql("platform/rule_jsonb")
async def rule_jsonb(conn: Connection) -> list[str]: ...


@sql("platform/rule_updated_at_trigger")
async def rule_updated_at_trigger(conn: Connection) -> list[str]: ...


@sql("platform/rule_version_trigger")
async def rule_version_trigger(conn: Connection) -> list[str]: ...


@sql("platform/rule_names")
async def rule_names(conn: Connection) -> list[str]: ...


@sql("platform/rule_comments")
async def rule_comments(conn: Connection, enum_like_names: str) -> list[str]: ...


# ---------------------------------------------------------------------------
# Read replicas (service/db/replicas.py)

@sql("platform/current_wal_insert_lsn")
async def current_wal_insert_lsn(conn: Connection) -> str: ...


class ReplicaState(msgspec.Struct, frozen=True):
    in_recovery: bool
    replay_lsn: str | None
    lag_s: float


@sql("platform/replica_state")
async def replica_state(conn: Connection) -> ReplicaState: ...
