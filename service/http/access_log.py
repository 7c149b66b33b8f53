"""Structured access log: one JSON line per request (ts, method, path, status, duration, client) on stderr.

Paths and status only: no headers, bodies or query strings, so no token
or password can reach the log through it.

The lines skip the logging machinery on purpose: a record through the root
logger (Litestar's queue handler and its listener thread) cost about as
much CPU as the rest of a simple read (profile in the README, "Load
testing").  Lines are collected during one event-loop pass and written
with one ``write``.  The ``service.access`` logger's level still switches
the log off (``ACCESS_LOG=false`` removes the middleware altogether).
"""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from typing import Any, BinaryIO

import msgspec
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from service.http.problems import status_of

log = logging.getLogger("service.access")
_encode = msgspec.json.Encoder().encode


class BatchedLines:
    """Lines written together once per event-loop pass (so a burst of requests costs one syscall)."""

    def __init__(self, stream: BinaryIO | None = None) -> None:
        self._stream = stream
        self._lines: list[bytes] = []

    def write(self, line: bytes) -> None:
        if not self._lines:
            asyncio.get_running_loop().call_soon(self.flush)
        self._lines.append(line)

    def flush(self) -> None:
        if not self._lines:
            return
        data = b"\n".join(self._lines) + b"\n"
        self._lines.clear()
        stream = self._stream or sys.stderr.buffer
        try:
            stream.write(data)
            stream.flush()
        except (OSError, ValueError):  # a closed stderr must not fail requests
            pass


LINES = BatchedLines()


def access_log_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not log.isEnabledFor(logging.INFO):
            await app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await app(scope, receive, send_and_note)
        except Exception as exc:  # answered by the app's exception handlers (the auth's 401, a 503): that status
            status = status_of(exc)
            raise
        finally:
            client: Any = scope.get("client")
            LINES.write(_encode({
                "ts": round(time.time(), 3),
                "method": scope["method"],
                "path": scope["path"],
                "status": status,
                "ms": round((time.perf_counter() - started) * 1000, 2),
                "client": client[0] if client else None,
            }))

    return middleware
