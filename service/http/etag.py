"""ETag and If-Match for every single-resource route: a path template ending in ``{param}``, or a
handler with ``opt={"etag": True}`` (such as ``/me``).

- ``GET`` 200 answers carry ``ETag``, a hash of the exact JSON representation;
  ``If-None-Match`` with that value gets 304.
- ``PATCH``/``PUT``/``DELETE`` with ``If-Match``: the current representation
  is fetched through the app itself (same caller, same path), and a stale
  tag gets 412 with nothing written.  The check and the write run under an
  advisory lock on (caller, path), taken without waiting: a second
  conditional write to the same resource while one is in flight is answered
  412 at once (its tag is about to go stale), so two clients holding the
  same tag can never both write.  Without ``If-Match`` a write goes ahead.

Being generic, this covers routes added later without anyone remembering.
"""

from __future__ import annotations

import hashlib

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from service.db import platform_repo
from service.http.auth import Caller
from service.http.problems import send_problem

_WRITES = {"PATCH", "PUT", "DELETE"}
_DROP_FOR_GET = {b"content-length", b"content-type", b"if-match", b"if-none-match", b"idempotency-key"}


def etag_for(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def tag_matches(header: bytes, etag: str) -> bool:
    tags = {t.strip() for t in header.decode("latin-1").split(",")}
    return "*" in tags or etag in tags or f"W/{etag}" in tags


async def _empty_receive() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


async def current_representation(scope: Scope) -> tuple[int, bytes]:
    """Status and body of ``GET <same path>`` for the same caller, routed through the whole app."""
    get_scope: dict = {k: scope[k] for k in ("type", "asgi", "http_version", "scheme", "server", "client",
                                             "root_path", "path", "raw_path") if k in scope}
    get_scope.update(method="GET", query_string=b"", state={},
                     headers=[(k, v) for k, v in scope["headers"] if k not in _DROP_FOR_GET])
    status, chunks = 500, []

    async def capture(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await scope["app"](get_scope, _empty_receive, capture)
    return status, b"".join(chunks)


def is_single_resource(scope: Scope) -> bool:
    if scope.get("path_template", "").endswith("}"):
        return True
    handler = scope.get("route_handler")
    return bool(handler is not None and handler.opt.get("etag"))


def etag_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_single_resource(scope):
            await app(scope, receive, send)
            return
        if scope["method"] == "GET":
            await _get_with_etag(app, scope, receive, send)
            return
        if_match = dict(scope["headers"]).get(b"if-match")
        caller = scope.get("user")
        if scope["method"] in _WRITES and if_match is not None and isinstance(caller, Caller):
            await _conditional_write(app, scope, receive, send, if_match, caller)
            return
        await app(scope, receive, send)

    return middleware


async def _get_with_etag(app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
    start: Message | None = None
    chunks: list[bytes] = []

    async def hold(message: Message) -> None:
        nonlocal start
        if message["type"] == "http.response.start":
            start = message
        elif message["type"] == "http.response.body" and start is not None and start["status"] == 200:
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                await _send_tagged(scope, send, start, b"".join(chunks))
        else:
            if start is not None:
                await send(start)
                start = None
            await send(message)

    await app(scope, receive, hold)


async def _send_tagged(scope: Scope, send: Send, start: Message, body: bytes) -> None:
    etag = etag_for(body)
    if_none_match = dict(scope["headers"]).get(b"if-none-match")
    if if_none_match is not None and tag_matches(if_none_match, etag):
        await send({"type": "http.response.start", "status": 304, "headers": [(b"etag", etag.encode())]})
        await send({"type": "http.response.body", "body": b""})
        return
    headers = [*start.get("headers", []), (b"etag", etag.encode())]
    await send({**start, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _conditional_write(app: ASGIApp, scope: Scope, receive: Receive, send: Send, if_match: bytes,
                             caller: Caller) -> None:
    resource = f"{caller.id}:{scope['path']}"
    async with scope["app"].state.pool.acquire() as conn:
        if not await platform_repo.try_resource_lock(conn, resource):
            await send_problem(send, 412, "the resource is being changed by another request; fetch it again")
            return
        try:
            status, body = await current_representation(scope)
            if status == 200 and not tag_matches(if_match, etag_for(body)):
                await send_problem(send, 412, "If-Match does not match the current version; fetch it again",
                                   headers={"ETag": etag_for(body)})
                return
            await app(scope, receive, send)  # 404 and others: the write itself answers
        finally:
            await platform_repo.release_resource_lock(conn, resource)
