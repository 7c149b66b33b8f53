"""Request bodies are read once here, bounded in size and JSON nesting depth, then replayed to the app.

Litestar enforces ``request_max_body_size`` too, but reading the body here
first lets the idempotency layer hash it and lets a hostile, deeply nested
document, or one that is not UTF-8, be refused with a 400 before any decoder sees it.
"""

from __future__ import annotations

import re
from typing import Any

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from service.errors import input_error
from service.http.problems import send_problem

_BODY_METHODS = {"POST", "PUT", "PATCH"}
# A JSON \u0000 escape (not an escaped backslash followed by "u0000"): PostgreSQL text and jsonb
# cannot hold NUL, so such input would fail in the database; refused here as bad input instead.
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
_OPEN = frozenset(b"[{")
_CLOSE = frozenset(b"]}")


def json_depth_exceeds(body: bytes, max_depth: int) -> bool:
    """True when arrays/objects nest deeper than ``max_depth`` (brackets inside strings do not count)."""
    if body.count(b"[") + body.count(b"{") <= max_depth:
        return False  # cannot be deeper than the number of openers: skip the scan (the usual case)
    depth = 0
    in_string = escaped = False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in _OPEN:
            depth += 1
            if depth > max_depth:
                return True
        elif byte in _CLOSE:
            depth -= 1
    return False


def _is_utf8(body: bytes) -> bool:
    """Every body this API takes is JSON, which is UTF-8: anything else is refused before a decoder
    (msgspec raises ``UnicodeDecodeError``, which Litestar does not turn into a 400) sees it."""
    if body.isascii():
        return True  # the usual case, without building a str
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


class ClientDisconnected(Exception):
    """The client went away (or the server's body read timeout closed it) before the body ended."""


async def read_body(receive: Receive, limit: int) -> bytes | None:
    """The whole body, or None when it is larger than ``limit``; ``ClientDisconnected`` when it never ended
    (a truncated body is never handed to the app as if it were complete)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnected
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands the app the already-read body, then defers to the real one."""
    sent = False

    async def receive_again() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return receive_again


def route_body_limit(scope: Scope, default: int) -> int:
    """The route's own ``request_max_body_size`` (e.g. the expense import's), else the app-wide bound."""
    handler = scope.get("route_handler")
    resolve = getattr(handler, "resolve_request_max_body_size", None)
    limit = resolve() if resolve is not None else None
    return limit if isinstance(limit, int) else default


def body_guard_middleware_factory(max_bytes: int, max_depth: int) -> Any:
    def body_guard_middleware(app: ASGIApp) -> ASGIApp:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] == "http" and b"%00" in scope.get("query_string", b""):
                names = sorted({part.split(b"=", 1)[0].decode("latin-1") for part in scope["query_string"].split(b"&")
                                if b"%00" in part})
                await send_problem(send, 400, "query parameters must not contain NUL characters",
                                   slug="validation-error", title="Invalid request",
                                   errors=[input_error("query", name, f"{name} must not contain NUL characters",
                                                       "invalid") for name in names])
                return
            if scope["type"] != "http" or scope["method"] not in _BODY_METHODS:
                await app(scope, receive, send)
                return
            limit = route_body_limit(scope, max_bytes)
            declared = dict(scope["headers"]).get(b"content-length")
            if declared is not None and declared.isdigit() and int(declared) > limit:
                await send_problem(send, 413, f"request body is larger than {limit} bytes")
                return
            try:
                body = await read_body(receive, limit)
            except ClientDisconnected:
                return  # nobody to answer; nothing was done
            if body is None:
                await send_problem(send, 413, f"request body is larger than {limit} bytes")
                return
            if json_depth_exceeds(body, max_depth):
                await send_problem(send, 400, f"JSON nests deeper than {max_depth} levels",
                                   slug="validation-error", title="Invalid request",
                                   errors=[input_error("body", "", f"the body nests deeper than {max_depth} levels",
                                                       "invalid_json")])
                return
            if not _is_utf8(body):
                await send_problem(send, 400, "the request body must be UTF-8 encoded JSON (RFC 8259 8.1)",
                                   slug="validation-error", title="Invalid request", field="body")
                return
            if _JSON_NUL.search(body):
                await send_problem(send, 400, "strings must not contain NUL characters (\\u0000)",
                                   slug="validation-error", title="Invalid request",
                                   errors=[input_error("body", "", "strings in the body must not contain NUL "
                                                       "characters (\\u0000)", "invalid")])
                return
            scope.setdefault("state", {})["raw_body"] = body
            await app(scope, replay(body, receive), send)

        return middleware

    return body_guard_middleware
