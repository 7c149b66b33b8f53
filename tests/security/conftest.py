"""A real server process on 127.0.0.1 with its own cloned database, shared by a test module.

Schemathesis speaks HTTP to it through ``requests``; its log goes to a file
that the tests read back (an unhandled error is logged with its traceback).
"""

from __future__ import annotations

import itertools
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.conftest import createdb, dropdb
from tests.helpers import PASSWORD

_ids = itertools.count()


@dataclass
class LiveServer:
    base: str
    db_url: str
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")

    def signup(self, email: str | None = None) -> dict[str, str]:
        """Register and log in a fresh user: ``{"id", "email", "token"}``."""
        email = email or f"live{os.getpid()}x{next(_ids)}@example.com"
        with httpx.Client(base_url=self.base, timeout=30) as http:
            registered = http.post("/auth/register", json={"email": email, "password": PASSWORD})
            assert registered.status_code == 201, registered.text
            tokens = http.post("/auth/login", json={"email": email, "password": PASSWORD})
            assert tokens.status_code == 200, tokens.text
        return {"id": registered.json()["id"], "email": email, "token": tokens.json()["access_token"]}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def live_server(server_dsn: str, template_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    name = f"live_{os.getpid()}_{next(_ids)}"
    db_url = createdb(server_dsn, name, template=template_db)
    port = free_port()
    log = tmp_path_factory.mktemp("live") / "server.log"
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "SERVICE_ENV": "development",
        "MIGRATE_ON_START": "false",
        "ARGON2_TIME_COST": "1", "ARGON2_MEMORY_KIB": "1024", "ARGON2_PARALLELISM": "1",
        # generated logins must not be throttled into 429s that hide everything else
        "LOGIN_LIMIT_PER_ACCOUNT": "1000000", "LOGIN_LIMIT_PER_ADDRESS": "1000000", "LOGIN_LIMIT_PER_PAIR": "1000000",
    }
    with log.open("wb") as sink:
        process = subprocess.Popen([sys.executable, "-m", "service", "serve", "--port", str(port)],
                                   env=env, stdout=sink, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process, log)
        yield LiveServer(base=base, db_url=db_url, log=log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        dropdb(server_dsn, name)


def _wait_until_up(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    with httpx.Client(timeout=2) as http:
        while time.monotonic() < deadline:
            assert process.poll() is None, "the service exited during start-up:\n" + log.read_text()
            try:
                if http.get(f"{base}/health").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
    raise AssertionError("service did not start:\n" + log.read_text())
