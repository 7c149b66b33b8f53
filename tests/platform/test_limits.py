"""Configured limits, each at its bound and one past it."""

from __future__ import annotations

import msgspec
import pytest
from litestar.testing import AsyncTestClient

from service.app import create_app
from tests.helpers import PASSWORD, assert_problem, signup


def body_of_depth(depth: int) -> dict:
    """{"preferences": {...}} whose objects nest exactly ``depth`` levels, the outer body included."""
    value: object = {}
    for _ in range(depth - 2):
        value = {"k": value}
    return {"preferences": value}


async def test_json_nesting_at_bound_is_accepted_and_one_past_is_400(client, settings):
    account = await signup(client)
    ok = await client.patch("/me", headers=account.headers, json=body_of_depth(settings.json_max_depth))
    assert ok.status_code == 200, ok.text
    body = assert_problem(await client.patch("/me", headers=account.headers,
                                             json=body_of_depth(settings.json_max_depth + 1)), 400)
    assert "deeper" in body["detail"]


async def test_pathological_nesting_is_400_not_500(client):
    account = await signup(client)
    raw = b'{"preferences":' + b"[" * 200_000 + b"]" * 200_000 + b"}"
    headers = {**account.headers, "content-type": "application/json"}
    assert_problem(await client.patch("/me", headers=headers, content=raw), 400)


async def test_brackets_inside_strings_do_not_count(client, settings):
    account = await signup(client)
    name = "[" * (settings.json_max_depth + 5)
    response = await client.patch("/me", headers=account.headers, json={"preferences": {"s": name}})
    assert response.status_code == 200
    assert response.json()["preferences"] == {"s": name}


async def test_body_size_at_bound_passes_the_guard_and_one_past_is_413(settings):
    small = msgspec.structs.replace(settings, max_body_bytes=2048)
    async with AsyncTestClient(app=create_app(small)) as client:
        account = await signup(client)
        prefix, suffix = b'{"preferences":{"s":"', b'"}}'
        at_bound = prefix + b"x" * (2048 - len(prefix) - len(suffix)) + suffix
        assert len(at_bound) == 2048
        headers = {**account.headers, "content-type": "application/json"}
        assert (await client.patch("/me", headers=headers, content=at_bound)).status_code == 200
        assert_problem(await client.patch("/me", headers=headers, content=at_bound + b" "), 413)


async def test_page_size_at_bound_and_past_it(client):
    account = await signup(client)
    assert (await client.get("/me/audit", headers=account.headers, params={"limit": 200})).status_code == 200
    assert_problem(await client.get("/me/audit", headers=account.headers, params={"limit": 201}), 400)


async def test_string_length_at_bound_and_past_it(client):
    account = await signup(client)
    assert (await client.patch("/me", headers=account.headers, json={"display_name": "x" * 100})).status_code == 200
    assert_problem(await client.patch("/me", headers=account.headers, json={"display_name": "x" * 101}), 400)


# One client address here (the test client's): the per-account limit applies only to addresses that
# never signed in to the account, so the one this address meets is the (account, address) pair's.
# tests/security/test_sign_in_throttle.py tests the per-account limit from many addresses.
@pytest.mark.parametrize("limit_field, header", [("login_limit_per_pair", None),
                                                 ("login_limit_per_address", "address")])
async def test_login_rate_limit_at_bound_and_past_it(settings, limit_field, header):
    limited = msgspec.structs.replace(settings, **{limit_field: 3})
    async with AsyncTestClient(app=create_app(limited)) as client:
        account = await signup(client)  # signup's own login is attempt 1
        emails = [account.email] * 2 if header is None else ["x1@example.com", "x2@example.com"]
        for email in emails:  # attempts 2 and 3: within the limit (wrong password: 401)
            response = await client.post("/auth/login", json={"email": email, "password": "wrong"})
            assert response.status_code == 401
        body = assert_problem(await client.post("/auth/login", json={"email": account.email, "password": PASSWORD}),
                              429)
        assert body["retry_after"] >= 1
        response = await client.post("/auth/login", json={"email": account.email, "password": PASSWORD})
        assert 1 <= int(response.headers["retry-after"]) <= limited.login_limit_window_s


async def test_rate_limit_counts_per_account_not_globally(settings):
    limited = msgspec.structs.replace(settings, login_limit_per_pair=2)
    async with AsyncTestClient(app=create_app(limited)) as client:
        first = await signup(client)
        second = await signup(client)
        await client.post("/auth/login", json={"email": first.email, "password": "wrong"})
        assert_problem(await client.post("/auth/login", json={"email": first.email, "password": "wrong"}), 429)
        assert (await client.post("/auth/login", json={"email": second.email, "password": PASSWORD})).status_code == 200
