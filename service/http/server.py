"""The production HTTP protocol: uvicorn's httptools protocol, one ``send`` per response.

uvicorn writes a response's head and its body with two ``transport.write``
calls, and uvloop sends each at once: two TCP segments, two system calls
(on loopback the kernel delivers to the peer inside the sender's call), a
quarter of a simple read's CPU in py-spy.  Here the writes made during one
event-loop pass are joined and sent together at the end of the pass: a
normal response goes out as one segment, a streamed one as one segment per
pass, and nothing waits longer than the current pass.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


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

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.transport = JoinedWrites(transport, self.loop)  # type: ignore[assignment]
