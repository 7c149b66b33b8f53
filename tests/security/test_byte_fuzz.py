"""Byte-level hostile input against every operation of the OpenAPI document, over raw sockets.

Schemathesis (test_schemathesis.py) generates schema-shaped input; it cannot send what an HTTP
client library refuses to build.  Here every operation gets, from a fixed seed and a bounded count:
invalid UTF-8 in a JSON body, wrong and malformed content types, truncated bodies, random bytes,
broken percent-encoding and raw non-UTF-8 bytes in the path and the query, non-UTF-8 header values,
and an oversized header.  The answer must be a 4xx (or the server closing the connection for a
request it cannot parse), never a 5xx, and the server's log must show no unhandled error.
"""

from __future__ import annotations

import random
import re
import socket
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.security.conftest import LiveServer
from tests.security.test_schemathesis import DOCUMENT, OPERATIONS

SEED = 18
RANDOM_BODIES = 3  # per operation, on top of the fixed cases
_PARAM = re.compile(r"\{([^}]+)\}")


def _fill(method: str, path: str) -> str:
    """Path parameters as valid values of their documented types, so routing reaches the handler."""
    schemas = {p["name"]: p["schema"] for p in DOCUMENT["paths"][path][method.lower()].get("parameters", [])
               if p.get("in") == "path"}

    def value(match: re.Match[str]) -> str:
        schema = schemas.get(match.group(1), {})
        if schema.get("format") == "uuid":
            return "00000000-0000-4000-8000-000000000000"
        return "1" if schema.get("type") == "integer" else "github"

    return _PARAM.sub(value, path)


def raw_request(base: str, head: bytes, body: bytes = b"", timeout: float = 30) -> int | None:
    """Send bytes as they are; the status code of the answer, or None when the server closed without one."""
    address = urlsplit(base)
    with socket.create_connection((address.hostname, address.port), timeout=timeout) as sock:
        sock.sendall(head + body)
        data = b""
        while b"\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                return None
            data += chunk
    match = re.match(rb"HTTP/1\.[01] (\d{3})", data)
    assert match, data[:200]
    return int(match.group(1))


def head(method: str, target: bytes, headers: list[tuple[bytes, bytes]]) -> bytes:
    lines = [method.encode() + b" " + target + b" HTTP/1.1", b"Host: 127.0.0.1", b"Connection: close"]
    lines += [name + b": " + value for name, value in headers]
    return b"\r\n".join(lines) + b"\r\n\r\n"


def cases(method: str, path: str, rng: random.Random) -> list[tuple[str, bytes, list[tuple[bytes, bytes]], bytes]]:
    """(label, request target, headers, body) for one operation."""
    target = _fill(method, path).encode()
    query_names = [p["name"] for p in DOCUMENT["paths"][path][method.lower()].get("parameters", [])
                   if p.get("in") == "query"] or ["q"]
    name = rng.choice(query_names).encode()
    json_ct = (b"Content-Type", b"application/json")
    out: list[tuple[str, bytes, list[tuple[bytes, bytes]], bytes]] = [
        ("percent-encoding cut short in the path", target + b"%", [], b""),
        ("percent-encoding of invalid UTF-8 in the path", target + b"%ff%fe", [], b""),
        ("raw invalid UTF-8 in the path", target + b"\xff\xc3", [], b""),
        ("broken percent-encoding in the query", target + b"?" + name + b"=%zz%", [], b""),
        ("percent-encoded invalid UTF-8 in the query", target + b"?" + name + b"=%ff%c3%28", [], b""),
        ("raw invalid UTF-8 in the query", target + b"?" + name + b"=\xff\xfe", [], b""),
        ("invalid UTF-8 in a header value", target, [(b"If-Match", b"\"\xff\""), (b"Idempotency-Key", b"\xfe\xff"),
                                                     (b"Authorization", b"Bearer \xff\xfe")], b""),
        ("oversized header", target, [(b"X-Padding", b"a" * 200_000)], b""),
    ]
    if method in {"POST", "PUT", "PATCH"}:
        out += [
            ("invalid UTF-8 in a JSON string", target, [json_ct], b'{"title": "\xff\xfe\xc3", "name": "\xc0\xaf"}'),
            ("invalid UTF-8 in a JSON key", target, [json_ct], b'{"\xff": 1}'),
            ("invalid UTF-8 charset declared", target, [(b"Content-Type", b"application/json; charset=\xff")], b"{}"),
            ("unknown charset", target, [(b"Content-Type", b"application/json; charset=klingon")], b"{}"),
            ("latin-1 charset", target, [(b"Content-Type", b"application/json; charset=latin-1")], b'{"a": "\xe9"}'),
            ("text/plain", target, [(b"Content-Type", b"text/plain")], b'{"a": 1}'),
            ("text/plain, not UTF-8", target, [(b"Content-Type", b"text/plain")], b'{"a": "\xff"}'),
            ("no content type, not UTF-8", target, [], b'{"a": "\xff"}'),
            ("octet-stream", target, [(b"Content-Type", b"application/octet-stream")], b"\x00\xff\x01"),
            ("form", target, [(b"Content-Type", b"application/x-www-form-urlencoded")], b"a=%ff&b=%zz&\xff"),
            ("multipart without boundary", target, [(b"Content-Type", b"multipart/form-data")], b"--x\r\n"),
            ("multipart broken", target, [(b"Content-Type", b"multipart/form-data; boundary=x")],
             b"--x\r\nContent-Disposition: form-data; name=\"\xff\"\r\n\r\n\xff\r\n--x"),
            ("malformed content type", target, [(b"Content-Type", b";;==/\xff")], b"{}"),
            ("truncated JSON", target, [json_ct], b'{"title": "abc'),
            ("truncated UTF-8 sequence", target, [json_ct], b'{"title": "\xe2\x82'),
            ("empty body", target, [json_ct], b""),
            ("JSON null", target, [json_ct], b"null"),
            ("huge number", target, [json_ct], b'{"amount": 1' + b"0" * 5000 + b"}"),
            ("utf-16 body", target, [json_ct], '{"title": "x"}'.encode("utf-16")),
            ("BOM", target, [json_ct], b'\xef\xbb\xbf{"title": "x"}'),
        ]
        for i in range(RANDOM_BODIES):
            size = rng.randint(1, 512)
            out.append((f"random bytes {i}", target, [json_ct], bytes(rng.getrandbits(8) for _ in range(size))))
    return out


@pytest.fixture(scope="module")
def token(live_server: LiveServer) -> str:
    return live_server.signup()["token"]


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_no_byte_sequence_is_a_5xx(method: str, path: str, live_server: LiveServer, token: str) -> None:
    rng = random.Random(f"{SEED}:{method}:{path}")
    failures: list[Any] = []
    for label, target, headers, body in cases(method, path, rng):
        all_headers = list(headers)
        if not any(n == b"Authorization" for n, _ in headers):
            all_headers.append((b"Authorization", b"Bearer " + token.encode()))
        if body or method in {"POST", "PUT", "PATCH"}:
            all_headers.append((b"Content-Length", str(len(body)).encode()))
        status = raw_request(live_server.base, head(method, target, all_headers), body)
        if status is not None and status >= 500:
            failures.append((label, status))
    assert not failures, failures


def test_no_unhandled_error_was_logged(live_server: LiveServer) -> None:
    log = live_server.log_text()
    assert "unhandled error" not in log, log[-5000:]
    assert "Traceback" not in log, log[-5000:]


async def test_a_json_body_that_is_not_utf8_is_a_400_naming_the_body(client: Any) -> None:
    from tests.helpers import assert_problem, signup
    account = await signup(client)
    response = await client.post("/tasks", headers={**account.headers, "Content-Type": "application/json"},
                                 content=b'{"title": "\xff"}')
    body = assert_problem(response, 400)
    assert body["field"] == "body"
    assert "UTF-8" in body["detail"]
