"""Faults the service must survive: a slow statement, SIGTERM with a request in flight."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time

import httpx
import msgspec
from litestar.testing import AsyncTestClient

from service.app import create_app
from tests.helpers import PASSWORD, assert_problem, signup


async def test_statement_timeout_gives_503_not_a_hang(settings, conn):
    quick = msgspec.structs.replace(settings, statement_timeout_ms=300)
    async with AsyncTestClient(app=create_app(quick)) as client:
        account = await signup(client)
        async with conn.transaction():  # hold the row lock the PATCH needs
            await conn.execute("SELECT 1 FROM users WHERE id = $1::uuid FOR UPDATE", account.id)
            started = time.monotonic()
            body = assert_problem(await client.patch("/me", headers=account.headers, json={"display_name": "x"}), 503)
            assert time.monotonic() - started < 5
        assert "too long" in body["detail"]
        # nothing changed, and the service works again at once
        me = await client.get("/me", headers=account.headers)
        assert me.status_code == 200 and me.json()["display_name"] is None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def wait_until_up(base: str, process: subprocess.Popen[bytes]) -> None:
    async with httpx.AsyncClient() as http:
        for _ in range(150):
            assert process.poll() is None, "the service exited during start-up"
            try:
                if (await http.get(f"{base}/health")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError("service did not start")


async def test_sigterm_finishes_in_flight_requests_then_exits(db_url, conn):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATABASE_URL": db_url, "ARGON2_TIME_COST": "1", "ARGON2_MEMORY_KIB": "1024",
           "ARGON2_PARALLELISM": "1"}
    process = subprocess.Popen([sys.executable, "-m", "service", "serve", "--port", str(port)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        await wait_until_up(base, process)
        async with httpx.AsyncClient(base_url=base, timeout=20) as http:
            await http.post("/auth/register", json={"email": "term@example.com", "password": PASSWORD})
            token = (await http.post("/auth/login", json={"email": "term@example.com", "password": PASSWORD})).json()
            headers = {"Authorization": f"Bearer {token['access_token']}"}
            async with conn.transaction():
                await conn.execute("SELECT 1 FROM users WHERE email = 'term@example.com' FOR UPDATE")
                in_flight = asyncio.create_task(http.patch("/me", headers=headers, json={"display_name": "done"}))
                await asyncio.sleep(0.5)  # the PATCH is now waiting on our lock, inside the service
                process.send_signal(signal.SIGTERM)
                await asyncio.sleep(0.5)
                refused = False
                try:
                    await httpx.AsyncClient().get(f"{base}/health", timeout=2)
                except httpx.TransportError:
                    refused = True
                assert refused, "a new connection was accepted after SIGTERM"
            response = await in_flight  # lock released: the in-flight request completes
        assert response.status_code == 200 and response.json()["display_name"] == "done"
        assert process.wait(timeout=20) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    stderr = process.stderr.read().decode() if process.stderr else ""
    assert "Finished server process" in stderr
    assert await conn.fetchval("SELECT display_name FROM users WHERE email = 'term@example.com'") == "done"


async def test_sigterm_stops_the_embedded_database_cleanly(tmp_path):
    port = free_port()
    data = tmp_path / "pgdata"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["PGDATA_DIR"] = str(data)
    process = subprocess.Popen([sys.executable, "-m", "service", "serve", "--port", str(port)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        await wait_until_up(f"http://127.0.0.1:{port}", process)
        async with httpx.AsyncClient() as http:
            assert (await http.get(f"http://127.0.0.1:{port}/ready")).status_code == 200
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert not (data / "postmaster.pid").exists(), "PostgreSQL is still running"
    assert "database system is shut down" in (data / "server.log").read_text()
