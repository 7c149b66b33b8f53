"""ETag and If-Match for every single-resource route: a path template ending in ``{param}``, or a
handler with ``opt={"etag": True}`` (such as ``/me``).

Tags come from the row's ``version`` (bumped by a BEFORE UPDATE trigger, migration 0100):

    ETag: "v<version>-<h>"

where ``<h>`` is 16 hex digits of SHA-256 over the resource's canonical path (the path
template with its parsed parameters: a UUID in lower case, so ``/chats/<UUID>`` and
``/chats/<uuid>`` are one resource; ``/me`` is ``/users/<caller id>``) and the rendered
representation without per-caller fields (``my_role``).  So every member of a chat gets
the same tag for the same state, and values derived at read time (a chat's last message,
a goal's progress, a pet's state) change the tag: ``If-None-Match`` -> 304 stays honest.

- ``GET`` 200 answers carry ``ETag``; ``If-None-Match`` naming it gets 304.
- ``PATCH``/``PUT``/``DELETE`` with ``If-Match``: the header is parsed here, before the
  handler (a malformed one is a 400; weak tags never match; ``*`` means any existing row),
  into the list of versions it names; the handler's UPDATE/DELETE carries them as a
  predicate (``AND ($n::bigint[] IS NULL OR $n::bigint[] @> ARRAY[version])``).  No row written: the
  handler reads the row, 404 when it is not there (for this caller), else 412 with the
  current ETag (``Stale``).  The ``<h>`` part is not compared: a write is conditional on
  the stored version, not on read-time values (a goal's progress moving on does not
  refuse an edit of its target).  Nothing is locked across requests and no second
  connection is taken: the compare-and-set is the write itself.

Being generic, this tags routes added later without anyone remembering; a test walks
the OpenAPI document so that every write route also honours If-Match.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

import msgspec
from litestar import Request
from litestar.serialization import encode_json
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from service.errors import NotFound, PreconditionFailed, input_error
from service.http.auth import Caller
from service.http.problems import send_problem

_WRITES = {"PATCH", "PUT", "DELETE"}
IF_MATCH = "service.if_match"
"""Scope key: the versions If-Match names (a list, maybe empty), or None (absent or ``*``)."""

# RFC 9110 8.8.3: entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE ; etagc = %x21 / %x23-7E / obs-text
_ENTITY_TAG = re.compile(rb'\s*(W/)?"([\x21\x23-\x7e\x80-\xff]*)"\s*')
_OURS = re.compile(rb"v(\d{1,19})(?:-[0-9a-f]{16})?")
_PER_CALLER = re.compile(rb'"my_role":"[a-z]*",?')  # a raw '"my_role":"' only occurs as a key (quotes are escaped)


class _Versioned(msgspec.Struct):
    version: int | None = None


_decode_version = msgspec.json.Decoder(_Versioned).decode


class MalformedIfMatch(ValueError):
    pass


def parse_if_match(header: bytes) -> list[int] | None:
    """The versions an If-Match header names; None for ``*``; [] when none of ours (never matches).

    Raises MalformedIfMatch for an empty or syntactically invalid header (RFC 9110: 400)."""
    if header.strip() == b"*":
        return None
    versions: list[int] = []
    tags, pos, end = 0, 0, len(header)
    while True:
        while pos < end and header[pos:pos + 1] in b" \t,":  # RFC 9110 5.6.1: empty list elements are ignored
            pos += 1
        if pos >= end:
            break
        match = _ENTITY_TAG.match(header, pos)
        if match is None or (match.end() < end and header[match.end():match.end() + 1] != b","):
            raise MalformedIfMatch("If-Match must be * or a list of quoted entity tags")
        tags += 1
        weak, opaque = match.group(1), match.group(2)
        ours = _OURS.fullmatch(opaque)
        if not weak and ours is not None:  # weak tags never match for If-Match (strong comparison)
            versions.append(int(ours.group(1)))
        pos = match.end()
    if not tags:
        raise MalformedIfMatch("If-Match must be * or a list of quoted entity tags")
    return versions


def resource_key(scope: Scope) -> str:
    """The resource's canonical path: parameters as parsed (UUIDs in lower case), /me as /users/<id>."""
    template: str = scope.get("path_template", "")
    params: dict[str, Any] = scope.get("path_params") or {}
    if not params:
        caller = scope.get("user")
        if isinstance(caller, Caller):
            return f"/users/{caller.id}"
        return template
    for name, value in params.items():
        template = template.replace("{" + name + "}", str(value))
    return template


def etag_for(scope: Scope, body: bytes, version: int | None = None) -> str:
    """The ETag of ``body`` (a rendered representation) at ``scope``'s resource."""
    if version is None:
        try:
            version = _decode_version(body).version
        except msgspec.DecodeError:
            version = None
    digest = hashlib.sha256(resource_key(scope).encode() + b"\n" + _PER_CALLER.sub(b"", body)).hexdigest()[:16]
    return f'"v{version}-{digest}"' if version is not None else f'"{digest}"'


def none_match(header: bytes, etag: str) -> bool:
    """If-None-Match (weak comparison): does the header name ``etag``, or is it ``*``?"""
    tags = {t.strip().removeprefix("W/") for t in header.decode("latin-1").split(",")}
    return "*" in tags or etag in tags


class Stale(PreconditionFailed):
    """412: the row exists for this caller, at another version; the answer carries its current ETag."""

    def __init__(self, current: Any) -> None:
        super().__init__("If-Match does not match the current version; fetch it again")
        self.current = current

    def response_headers(self, request: Request[Any, Any, Any]) -> dict[str, str] | None:
        return {"ETag": etag_for(request.scope, encode_json(self.current))}


async def missing_or_stale(if_match: list[int] | None, current: Any, not_found: str) -> Exception:
    """What a conditional write that wrote nothing answers: 404 when ``current`` (the row as this
    caller may see it, read after the write) is None or no If-Match was given, else 412."""
    if hasattr(current, "__await__"):
        current = await current
    if current is None or if_match is None:
        return NotFound(not_found)
    return Stale(current)


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
        method = scope["method"]
        if method in _WRITES:
            header = dict(scope["headers"]).get(b"if-match")
            if header is not None:
                try:
                    scope[IF_MATCH] = parse_if_match(header)  # type: ignore[literal-required]
                except MalformedIfMatch as exc:
                    await send_problem(send, 400, str(exc), slug="validation-error", title="Invalid request",
                                       errors=[input_error("header", "If-Match", f"If-Match: {exc}", "format")])
                    return
        if method in ("GET", "PATCH", "PUT"):
            await _tagged(app, scope, receive, send)
            return
        await app(scope, receive, send)

    return middleware


async def _tagged(app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
    """Run the handler; a 200 answer gets its ETag (and a GET naming it in If-None-Match, 304)."""
    start: Message | None = None
    chunks: list[bytes] = []

    async def hold(message: Message) -> None:
        nonlocal start
        if message["type"] == "http.response.start" and message["status"] == 200:
            start = message
        elif message["type"] == "http.response.body" and start is not None:
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                await _send_tagged(scope, send, start, b"".join(chunks))
        else:
            await send(message)

    await app(scope, receive, hold)


async def _send_tagged(scope: Scope, send: Send, start: Message, body: bytes) -> None:
    etag = etag_for(scope, body)
    if_none_match = dict(scope["headers"]).get(b"if-none-match") if scope["method"] == "GET" else None
    if if_none_match is not None and none_match(if_none_match, etag):
        await send({"type": "http.response.start", "status": 304, "headers": [(b"etag", etag.encode())]})
        await send({"type": "http.response.body", "body": b""})
        return
    headers = [*start.get("headers", []), (b"etag", etag.encode())]
    await send({**start, "headers": headers})
    await send({"type": "http.response.body", "body": body})
