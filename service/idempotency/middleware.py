"""``Idempotency-Key`` on creating POSTs (the IETF httpapi draft's semantics).

For an authenticated POST that carries the header:

- first time: the key is claimed (one INSERT, which draws a claim token), the
  request runs, and its response (status < 500) is stored; a 5xx or a crash
  releases the key so a retry runs again (an abandoned claim is taken over
  after 60 s); storing and releasing match the claim token, so a request that
  overran the take-over window changes nothing of the request that took over;
- the same key with the same method, path and body: the stored response is
  replayed with ``Idempotent-Replayed: true`` and nothing runs;
- the same key with a different request: 422;
- the same key while the first request is still running: 409, so
  concurrent retries create one row.

Keys belong to the caller and expire after ``IDEMPOTENCY_TTL`` seconds.
Requests without the header are untouched (one dictionary lookup).
"""

from __future__ import annotations

import hashlib
from typing import Any
from uuid import UUID

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from service.errors import input_error
from service.http.auth import Caller
from service.http.body_guard import ClientDisconnected, read_body, replay
from service.http.problems import send_problem
from service.idempotency import repo

HEADER = b"idempotency-key"


def request_hash(scope: Scope, body: bytes) -> bytes:
    digest = hashlib.sha256()
    for part in (scope["method"].encode(), scope["path"].encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.digest()


RESPONSE_MAX = 1_048_576
"""Largest response kept for replay (idempotency_keys_response_body_size_chk allows a little more: its
measure adds the bytea header); a larger one releases the key, so a retry runs the request again."""


def idempotency_middleware_factory(ttl_seconds: int, max_body_bytes: int) -> Any:
    def idempotency_middleware(app: ASGIApp) -> ASGIApp:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http" or scope["method"] != "POST":
                await app(scope, receive, send)
                return
            raw_key = dict(scope["headers"]).get(HEADER)
            caller = scope.get("user")
            # App tokens are not users (keys are per user): their POSTs are not deduplicated here.
            if raw_key is None or not isinstance(caller, Caller) or caller.app:
                await app(scope, receive, send)
                return
            key = raw_key.decode("latin-1").strip()
            if not 1 <= len(key) <= 255:
                await send_problem(send, 400, "Idempotency-Key must be 1 to 255 characters",
                                   slug="validation-error", title="Invalid request",
                                   errors=[input_error("header", "Idempotency-Key",
                                                       "Idempotency-Key must be 1 to 255 characters",
                                                       "too_short" if not key else "too_long")])
                return
            body = scope.get("state", {}).get("raw_body")
            if body is None:
                try:
                    body = await read_body(receive, max_body_bytes) or b""
                except ClientDisconnected:
                    return  # the client is gone: nothing to claim, nobody to answer
                receive = replay(body, receive)
            fingerprint = request_hash(scope, body)
            pool = scope["app"].state.pool
            async with pool.acquire() as conn:
                token = await repo.claim_key(conn, caller.id, key, fingerprint, ttl_seconds)
                stored = None if token is not None else await repo.get_key(conn, caller.id, key)
            if token is None:
                await _answer_retry(send, stored, fingerprint)
                return
            await _run_and_store(app, scope, receive, send, pool, caller, key, token)

        return middleware

    return idempotency_middleware


async def _answer_retry(send: Send, stored: repo.StoredKey | None, fingerprint: bytes) -> None:
    if stored is None:  # released between our two statements: ask for a retry
        await send_problem(send, 409, "a request with this Idempotency-Key just failed; retry it")
    elif stored.request_hash != fingerprint:
        await send_problem(send, 422, "this Idempotency-Key was used for a different request")
    elif stored.status_code is None:
        await send_problem(send, 409, "a request with this Idempotency-Key is still in progress",
                           headers={"Retry-After": "1"})
    else:
        body = stored.response_body or b""
        headers = [(b"content-length", str(len(body)).encode()), (b"idempotent-replayed", b"true")]
        if stored.content_type:
            headers.append((b"content-type", stored.content_type.encode()))
        await send({"type": "http.response.start", "status": stored.status_code, "headers": headers})
        await send({"type": "http.response.body", "body": body})


async def _run_and_store(app: ASGIApp, scope: Scope, receive: Receive, send: Send, pool: Any, caller: Caller,
                         key: str, token: UUID) -> None:
    status = 500
    content_type: str | None = None
    chunks: list[bytes] = []

    async def capture(message: Message) -> None:
        nonlocal status, content_type
        if message["type"] == "http.response.start":
            status = message["status"]
            content_type = dict(message.get("headers", [])).get(b"content-type", b"").decode() or None
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))
        await send(message)

    try:
        await app(scope, receive, capture)
    finally:
        # Both match the claim token: if this request overran the take-over window and another
        # request claimed the key meanwhile, nothing of the other's is overwritten or deleted.
        async with pool.acquire() as conn:
            body = b"".join(chunks)
            if status < 500 and len(body) <= RESPONSE_MAX:
                await repo.complete_key(conn, caller.id, key, token, status, content_type, body)
            else:
                await repo.release_key(conn, caller.id, key, token)
