"""/integrations: connect and revoke provider accounts.  Tokens go in, never come out."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from litestar import Controller, Request, delete, get, patch, post
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_204_NO_CONTENT

from service.errors import NotFound
from service.http.deps import AppSettings, Conn, CurrentCaller, IfMatch, client_addr
from service.http.etag import Stale
from service.http.pagination import Cursor, Limit, Page, decode_cursor, page
from service.quest import logic, repo
from service.quest.crypto import cipher_for
from service.quest.models import Integration, IntegrationCreate, IntegrationPatch

NOT_FOUND = "integration not found"


class IntegrationController(Controller):
    path = "/integrations"
    tags = ["quest"]

    @get("", summary="The caller's integrations (revoked ones too), newest first; never tokens")
    async def list_integrations(self, conn: Conn, caller: CurrentCaller, limit: Limit = 50,
                                before: Cursor = None) -> Page[Integration]:
        key = decode_cursor(before, tuple[datetime, UUID])
        rows = await repo.list_integrations(conn, caller.id, *(key or (None, None)), limit + 1)
        return page(rows, limit, lambda row: (row.created_at, row.id))

    @post("", summary="Connect a provider account; tokens are encrypted before they are stored")
    async def connect(self, request: Request[Any, Any, Any], conn: Conn, caller: CurrentCaller,
                      settings: AppSettings, data: JSONBody[IntegrationCreate]) -> Integration:
        return await logic.connect_integration(conn, cipher_for(settings), caller.id, data, client_addr(request))

    @get("/{integration_id:uuid}", summary="One integration; never tokens")
    async def get_integration(self, conn: Conn, caller: CurrentCaller, integration_id: FromPath[UUID]) -> Integration:
        row = await repo.get_integration(conn, caller.id, integration_id)
        if row is None:
            raise NotFound(NOT_FOUND)
        return row

    @patch("/{integration_id:uuid}",
           summary="Rotate tokens, change scopes or expiry (tokens sealed again under the current key)")
    async def rotate(self, conn: Conn, caller: CurrentCaller, settings: AppSettings, if_match: IfMatch,
                     integration_id: FromPath[UUID], data: JSONBody[IntegrationPatch]) -> Integration:
        integration = await logic.rotate_integration(conn, cipher_for(settings), caller.id, integration_id, data,
                                                     if_match)
        if integration is None:
            raise NotFound(NOT_FOUND)
        return integration

    @delete("/{integration_id:uuid}", status_code=HTTP_204_NO_CONTENT,
            summary="Revoke: status revoked, tokens erased (404 when already revoked)")
    async def revoke(self, request: Request[Any, Any, Any], conn: Conn, caller: CurrentCaller, if_match: IfMatch,
                     integration_id: FromPath[UUID]) -> None:
        if await logic.revoke_integration(conn, caller.id, integration_id, client_addr(request), if_match) is None:
            current = await repo.get_integration(conn, caller.id, integration_id) if if_match is not None else None
            if current is not None and current.status != "revoked":
                raise Stale(current)
            raise NotFound(NOT_FOUND)
