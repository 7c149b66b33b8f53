"""Shared parts of the fault scripts: a throwaway PostgreSQL, the real service as a process, a client."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from service.db import migrate
from service.db.embedded import EmbeddedPostgres

PASSWORD = "fault-script-password"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Rig:
    """A PostgreSQL in a temporary folder and the service (one uvicorn worker) in front of it."""

    def __init__(self, **env: str) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="faults-"))
        self.pg = EmbeddedPostgres(self.folder / "pg")
        self.dsn = self.pg.start()
        migrate.upgrade(self.dsn)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "DATABASE_URL": self.dsn, "ARGON2_TIME_COST": "1", "ARGON2_MEMORY_KIB": "1024",
                    "ARGON2_PARALLELISM": "1", "LOGIN_LIMIT_PER_ADDRESS": "100000", **env}
        self.service: subprocess.Popen[bytes] | None = None

    def start_service(self) -> None:
        self.service = subprocess.Popen([sys.executable, "-m", "service", "serve", "--port", str(self.port)],
                                        env=self.env, stdout=subprocess.DEVNULL,
                                        stderr=(self.folder / "service.log").open("wb"))
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base}/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError("the service did not start")

    def kill_service(self) -> None:
        assert self.service is not None
        self.service.send_signal(signal.SIGKILL)
        self.service.wait()

    def close(self) -> None:
        if self.service is not None and self.service.poll() is None:
            self.service.kill()
            self.service.wait()
        self.pg.destroy()
        print(f"(service log: {self.folder / 'service.log'})")


async def account(http: httpx.AsyncClient, email: str) -> dict[str, str]:
    """Register (if new) and sign in; the bearer headers."""
    await http.post("/auth/register", json={"email": email, "password": PASSWORD})
    tokens = (await http.post("/auth/login", json={"email": email, "password": PASSWORD})).json()
    return {"Authorization": f"Bearer {tokens['access_token']}"}


def run(main: object) -> None:
    asyncio.run(main)  # type: ignore[arg-type]
