"""One typed function per SQL file under sql/apps/ (bodies come from @sql)."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from service.apps.models import AppClient, AppSecrets, AppStatus, Rotation
from service.db.queries import Connection, sql

PURGE_BATCH = 1000


@sql("apps/insert_app_client")
async def insert_app_client(conn: Connection, name: str, secret_hash: str, scopes: list[str]) -> AppClient: ...


@sql("apps/list_app_clients")
async def list_app_clients(conn: Connection) -> list[AppClient]: ...


@sql("apps/get_app_client_secrets")
async def get_app_client_secrets(conn: Connection, client_id: UUID) -> AppSecrets | None: ...


@sql("apps/get_app_client_status")
async def get_app_client_status(conn: Connection, client_id: UUID) -> AppStatus | None: ...


@sql("apps/rotate_app_secret")
async def rotate_app_secret(conn: Connection, name: str, new_secret_hash: str,
                            grace_seconds: int) -> Rotation | None: ...


@sql("apps/revoke_app_client")
async def revoke_app_client(conn: Connection, name: str) -> UUID | None: ...


@sql("apps/purge_revoked_app_clients")
async def purge_revoked_batch(conn: Connection, older_than: timedelta, batch_size: int) -> int: ...


async def purge_revoked_app_clients(conn: Connection, older_than: timedelta) -> int:
    """Delete clients revoked more than ``older_than`` ago, in batches; how many went.

    Meant for the retention job runner (``older_than`` = the audit log's retention, so
    no audit row outlives the client it names); each batch is its own short statement.
    """
    total = 0
    while True:
        purged = await purge_revoked_batch(conn, older_than, PURGE_BATCH)
        total += purged
        if purged < PURGE_BATCH:
            return total
