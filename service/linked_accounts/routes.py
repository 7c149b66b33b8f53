"""/linked-accounts: institutions the caller connected through Knot (Lattice)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from litestar import Controller, delete, get, post
from litestar.params import JSONBody, PathParameter
from litestar.status_codes import HTTP_204_NO_CONTENT

from service.errors import NotFound
from service.http.deps import Conn, CurrentCaller, IfMatch
from service.http.etag import missing_or_stale
from service.http.pagination import Cursor, Limit, Page, decode_cursor, page
from service.linked_accounts import repo
from service.linked_accounts.models import LinkedAccount, LinkedAccountCreate

LinkedAccountId = Annotated[UUID, PathParameter(description="linked account id")]
NOT_FOUND = "linked account not found"


class LinkedAccountController(Controller):
    path = "/linked-accounts"
    tags = ["linked accounts"]

    @get("", summary="The caller's linked accounts, newest first")
    async def list_linked_accounts(self, conn: Conn, caller: CurrentCaller, limit: Limit = 50,
                                   before: Cursor = None) -> Page[LinkedAccount]:
        key = decode_cursor(before, tuple[datetime, UUID])
        before_at, before_id = key if key else (None, None)
        rows = await repo.list_linked_accounts(conn, caller.id, before_at, before_id, limit + 1)
        return page(rows, limit, lambda row: (row.created_at, row.id))

    @post("", summary="Link an account (409 when the Knot item is already linked)")
    async def create_linked_account(self, conn: Conn, caller: CurrentCaller,
                                    data: JSONBody[LinkedAccountCreate]) -> LinkedAccount:
        return await repo.insert_linked_account(conn, caller.id, data.institution, data.account_name,
                                                data.permissions, data.knot_item_id)

    @get("/{linked_account_id:uuid}", summary="One linked account")
    async def get_linked_account(self, conn: Conn, caller: CurrentCaller,
                                 linked_account_id: LinkedAccountId) -> LinkedAccount:
        account = await repo.get_linked_account(conn, caller.id, linked_account_id)
        if account is None:
            raise NotFound(NOT_FOUND)
        return account

    @delete("/{linked_account_id:uuid}", status_code=HTTP_204_NO_CONTENT, summary="Unlink an account")
    async def delete_linked_account(self, conn: Conn, caller: CurrentCaller, if_match: IfMatch,
                                    linked_account_id: LinkedAccountId) -> None:
        if await repo.delete_linked_account(conn, caller.id, linked_account_id, if_match) is None:
            raise await missing_or_stale(if_match, repo.get_linked_account(conn, caller.id, linked_account_id),
                                         NOT_FOUND)
