"""Verified access tokens are remembered per worker, but never past their own expiry."""

from __future__ import annotations

import asyncio

import msgspec
from litestar.testing import AsyncTestClient

from service.app import create_app
from tests.helpers import assert_problem, signup


async def test_a_remembered_token_still_expires(settings):
    app = create_app(msgspec.structs.replace(settings, access_token_ttl_s=1))
    async with AsyncTestClient(app=app) as client:
        account = await signup(client)
        assert (await client.get("/me", headers=account.headers)).status_code == 200
        assert (await client.get("/me", headers=account.headers)).status_code == 200  # from the cache
        await asyncio.sleep(2.1)
        assert_problem(await client.get("/me", headers=account.headers), 401)


async def test_a_tampered_token_is_refused_even_after_the_real_one_was_seen(client):
    account = await signup(client)
    assert (await client.get("/me", headers=account.headers)).status_code == 200
    header, payload, signature = account.access_token.split(".")
    forged = f"{header}.{payload}.{signature[:-2]}{'AA' if signature[-2:] != 'AA' else 'BB'}"
    assert_problem(await client.get("/me", headers={"Authorization": f"Bearer {forged}"}), 401)
