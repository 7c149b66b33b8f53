"""One typed function per SQL file under sql/linked_accounts/ (bodies come from @sql)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from service.db.queries import Connection, sql
from service.linked_accounts.models import LinkedAccount


@sql("linked_accounts/insert_linked_account")
async def insert_linked_account(
    conn: Connection, user_id: UUID, institution: str, account_name: str, permissions: list[str],
    knot_item_id: str,
) -> LinkedAccount: ...


@sql("linked_accounts/list_linked_accounts")
async def list_linked_accounts(
    conn: Connection, user_id: UUID, before_created_at: datetime | None, before_id: UUID | None, limit: int
) -> list[LinkedAccount]: ...


@sql("linked_accounts/get_linked_account")
async def get_linked_account(conn: Connection, user_id: UUID, linked_account_id: UUID) -> LinkedAccount | None: ...


@sql("linked_accounts/delete_linked_account")
async def delete_linked_account(conn: Connection, user_id: UUID, linked_account_id: UUID,
                                if_match: list[int] | None) -> UUID | None: ...
