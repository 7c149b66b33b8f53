"""Slow clients are cut off by the server the service runs (issue #18), against a real process.

uvicorn has no header or body read timeout; ``service.http.server.Protocol`` adds them
(``HTTP_HEADER_TIMEOUT``, ``HTTP_BODY_TIMEOUT``), and uvicorn's own ``timeout_keep_alive``
(``HTTP_KEEP_ALIVE_TIMEOUT``) closes idle kept-alive connections.  The server here runs with
1-second timeouts; each test asserts the outcome (the server closes the connection) within a
generous 30-second deadline, never how long it took.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import createdb, dropdb
from tests.security.conftest import _wait_until_up, free_port

DEADLINE_S = 30


@pytest.fixture(scope="module")
def slow_server(server_dsn: str, template_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    name = f"slow_{os.getpid()}"
    db_url = createdb(server_dsn, name, template=template_db)
    port = free_port()
    log: Path = tmp_path_factory.mktemp("slow") / "server.log"
    env = {**os.environ, "DATABASE_URL": db_url, "SERVICE_ENV": "development", "MIGRATE_ON_START": "false",
           "HTTP_HEADER_TIMEOUT": "1", "HTTP_BODY_TIMEOUT": "1", "HTTP_KEEP_ALIVE_TIMEOUT": "1"}
    with log.open("wb") as sink:
        process = subprocess.Popen([sys.executable, "-m", "service", "serve", "--port", str(port)],
                                   env=env, stdout=sink, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process, log)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        dropdb(server_dsn, name)


def connect(base: str) -> socket.socket:
    address = urlsplit(base)
    sock = socket.create_connection((address.hostname, address.port), timeout=DEADLINE_S)
    return sock


def read_until_closed(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes; a socket timeout (the server held on) fails the test."""
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    return data


def test_half_a_header_is_cut_off(slow_server: str) -> None:
    with connect(slow_server) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        assert read_until_closed(sock) == b""  # closed without an answer


def test_a_connection_that_never_sends_is_cut_off(slow_server: str) -> None:
    with connect(slow_server) as sock:
        assert read_until_closed(sock) == b""


def test_a_body_that_stops_halfway_is_cut_off_and_nothing_is_done(slow_server: str) -> None:
    with connect(slow_server) as sock:
        sock.sendall(b"POST /auth/register HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 100\r\n\r\n{\"email\": \"slow@example.com\", ")
        assert read_until_closed(sock) == b""


def test_an_idle_kept_alive_connection_is_closed_after_its_response(slow_server: str) -> None:
    with connect(slow_server) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        data = read_until_closed(sock)
        assert data.startswith(b"HTTP/1.1 200"), data[:100]


def test_a_prompt_client_is_served(slow_server: str) -> None:
    with connect(slow_server) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        assert read_until_closed(sock).startswith(b"HTTP/1.1 200")
