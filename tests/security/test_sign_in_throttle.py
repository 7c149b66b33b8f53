"""Sign-in throttling a stranger cannot turn into a lock-out (issue #18), both sides.

Addresses are simulated by ASGI clients with their own peer address on one app (one lifespan,
one pool).  Limits are small here: 3 attempts per account (from unknown addresses), 3 per
(account, address) pair, 100 per address, in a 60-second window.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import msgspec
import pytest

from service.accounts import repo
from service.app import create_app
from tests.helpers import PASSWORD, assert_problem

OWNER_HOME = "192.0.2.10"


@pytest.fixture
def limited(settings: Any) -> Any:
    return msgspec.structs.replace(settings, login_limit_per_account=3, login_limit_per_pair=3,
                                   login_limit_per_address=100, login_limit_window_s=60)


@asynccontextmanager
async def addresses(settings: Any) -> AsyncIterator[Any]:
    """``at(address)``: an HTTP client whose requests come from that address."""
    app = create_app(settings)
    clients: list[httpx.AsyncClient] = []
    async with app.lifespan():  # the pool, in this event loop

        def at(address: str) -> httpx.AsyncClient:
            client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=(address, 40000)),
                                       base_url="http://testserver")
            clients.append(client)
            return client

        try:
            yield at
        finally:
            for client in clients:
                await client.aclose()


async def login(client: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    return await client.post("/auth/login", json={"email": email, "password": password})


async def register(client: httpx.AsyncClient, email: str) -> str:
    response = await client.post("/auth/register", json={"email": email, "password": PASSWORD})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def test_strangers_are_slowed_and_the_owner_at_a_known_address_gets_in(limited: Any) -> None:
    async with addresses(limited) as at:
        home = at(OWNER_HOME)
        await register(home, "victim@example.com")
        assert (await login(home, "victim@example.com", PASSWORD)).status_code == 200  # home is now known

        # Attackers from many addresses, one guess each: the account bucket fills (3 from strangers).
        statuses = [(await login(at(f"198.51.100.{i}"), "victim@example.com", "guess")).status_code
                    for i in range(1, 7)]
        assert statuses[:2] == [401, 401]  # the owner's own attempt was the first in the window
        assert set(statuses[2:]) == {429}, statuses
        # A stranger is refused even with the right password: no guess gets checked any more.
        refused = assert_problem(await login(at("198.51.100.99"), "victim@example.com", PASSWORD), 429)
        assert refused["retry_after"] >= 1

        # The owner at their known address is not locked out.
        response = await login(home, "victim@example.com", PASSWORD)
        assert response.status_code == 200, response.text
        # From an address they never signed in from, the owner waits like any stranger (documented).
        assert_problem(await login(at("203.0.113.50"), "victim@example.com", PASSWORD), 429)


async def test_one_address_guessing_one_account_is_slowed_by_the_pair_limit(limited: Any) -> None:
    async with addresses(limited) as at:
        home, attacker = at(OWNER_HOME), at("198.51.100.1")
        await register(home, "pair@example.com")
        assert (await login(home, "pair@example.com", PASSWORD)).status_code == 200
        # The attacker had the owner sign in from a shared address once: the account limit does not
        # help, but the pair limit does, and it only ever refuses that one address.
        assert (await login(attacker, "pair@example.com", PASSWORD)).status_code == 200
        for _ in range(2):
            assert (await login(attacker, "pair@example.com", "guess")).status_code == 401
        assert_problem(await login(attacker, "pair@example.com", "guess"), 429)
        assert (await login(home, "pair@example.com", PASSWORD)).status_code == 200


async def test_one_address_spraying_many_accounts_is_slowed_by_the_address_limit(settings: Any) -> None:
    tight = msgspec.structs.replace(settings, login_limit_per_address=5)
    async with addresses(tight) as at:
        home, sprayer = at(OWNER_HOME), at("198.51.100.2")
        await register(home, "spray@example.com")
        for i in range(5):
            assert (await login(sprayer, f"nobody{i}@example.com", "guess")).status_code == 401
        assert_problem(await login(sprayer, "spray@example.com", PASSWORD), 429)
        assert (await login(home, "spray@example.com", PASSWORD)).status_code == 200


async def test_password_change_is_limited_the_same_way_and_audited(limited: Any, conn: Any) -> None:
    async with addresses(limited) as at:
        home, thief = at(OWNER_HOME), at("198.51.100.3")
        user_id = await register(home, "stolen@example.com")
        token = (await login(home, "stolen@example.com", PASSWORD)).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}

        def attempt(client: httpx.AsyncClient, current: str) -> Any:
            return client.post("/me/password", headers=headers,
                               json={"current_password": current, "new_password": "a brand new password"})

        # A stolen access token used from elsewhere: 3 guesses, then 429 even for the right one.
        for _ in range(3):
            assert_problem(await attempt(thief, "guess"), 403)
        assert_problem(await attempt(thief, PASSWORD), 429)
        failed = await conn.fetchval("SELECT count(*) FROM audit_log WHERE user_id = $1 "
                                     "AND event = 'password_check_failed'", user_id)
        assert failed == 3
        # The owner at home still changes it.
        response = await attempt(home, PASSWORD)
        assert response.status_code == 204, response.text


async def test_known_addresses_are_purged_after_the_retention(limited: Any, conn: Any) -> None:
    async with addresses(limited) as at:
        home = at(OWNER_HOME)
        user_id = await register(home, "old@example.com")
        assert (await login(home, "old@example.com", PASSWORD)).status_code == 200
        assert (await login(at("192.0.2.11"), "old@example.com", PASSWORD)).status_code == 200
    await conn.execute("UPDATE known_sign_in_addresses SET last_success_at = now() - interval '91 days' "
                       "WHERE address = $1", OWNER_HOME)
    purged = await repo.purge_known_addresses(conn, limited.known_address_retention_days * 86400, 100)
    assert purged == 1
    left = await conn.fetch("SELECT address FROM known_sign_in_addresses WHERE user_id = $1::uuid", user_id)
    assert [r["address"] for r in left] == ["192.0.2.11"]
