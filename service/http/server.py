"""The production HTTP protocol: uvicorn's httptools protocol, one ``send`` per response.

uvicorn writes a response's head and its body with two ``transport.write``
calls, and uvloop sends each at once: two TCP segments, two system calls
(on loopback the kernel delivers to the peer inside the sender's call), a
quarter of a simple read's CPU in py-spy.  Here the writes made during one
event-loop pass are joined and sent together at the end of the pass: a
normal response goes out as one segment, a streamed one as one segment per
pass, and nothing waits longer than the current pass.

Slow clients (#18): uvicorn times out only an idle kept-alive connection
(``timeout_keep_alive``, armed after a response).  A connection that never
sends, or sends half a header, or stops in the middle of a body was held
forever.  The protocol here adds two read deadlines, from the environment
(``HTTP_HEADER_TIMEOUT``, ``HTTP_BODY_TIMEOUT``):

- headers: armed when the connection is made and when a request's first byte
  arrives, cancelled when its headers are complete;
- body: armed when the headers are complete, re-armed by every body chunk
  (idle time, so a large upload on a slow link is fine), cancelled when the
  request is complete.

On expiry the connection is closed (the app, if it was reading the body, gets
``http.disconnect``); a response in progress is let finish, then the
connection closes.
"""

from __future__ import annotations

import asyncio
import functools
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from service.config import load_settings


@functools.cache
def read_timeouts() -> tuple[float, float]:
    """(header, body) read timeouts in seconds, from the environment once per worker process."""
    settings = load_settings()
    return settings.http_header_timeout_s, settings.http_body_timeout_s


class JoinedWrites:
    """A transport whose writes within one loop pass leave in one ``write``; everything else passes through."""

    __slots__ = ("_loop", "_pending", "_transport")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._pending: list[bytes] = []

    def write(self, data: bytes) -> None:
        if not self._pending:
            self._loop.call_soon(self.flush)
        self._pending.append(data)

    def flush(self) -> None:
        if not self._pending:
            return
        data = self._pending[0] if len(self._pending) == 1 else b"".join(self._pending)
        self._pending.clear()
        if not self._transport.is_closing():
            self._transport.write(data)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class Protocol(HttpToolsProtocol):
    """``uvicorn --http service.http.server:Protocol``."""

    _read_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.transport = JoinedWrites(transport, self.loop)  # type: ignore[assignment]
        self._arm(read_timeouts()[0])

    def _arm(self, seconds: float) -> None:
        self._disarm()
        self._read_timer = self.loop.call_later(seconds, self._read_timed_out)

    def _disarm(self) -> None:
        if self._read_timer is not None:
            self._read_timer.cancel()
            self._read_timer = None

    def _read_timed_out(self) -> None:
        self._read_timer = None
        if self.cycle is not None and not self.cycle.response_complete and self.cycle.response_started:
            self.cycle.keep_alive = False  # let the response finish, then close
            return
        if not self.transport.is_closing():
            self.transport.close()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._arm(read_timeouts()[0])

    def on_headers_complete(self) -> None:
        self._arm(read_timeouts()[1])
        super().on_headers_complete()

    def on_body(self, body: bytes) -> None:
        self._arm(read_timeouts()[1])
        super().on_body(body)

    def on_message_complete(self) -> None:
        self._disarm()
        super().on_message_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)
