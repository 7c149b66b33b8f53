"""ETag on single-resource GETs, If-None-Match, and If-Match on writes (412 when stale)."""

from __future__ import annotations

import asyncio

from tests.helpers import assert_problem, signup


async def test_get_carries_an_etag_and_if_none_match_gives_304(client):
    account = await signup(client)
    first = await client.get("/me", headers=account.headers)
    etag = first.headers["etag"]
    assert etag.startswith('"') and len(etag) > 10
    again = await client.get("/me", headers={**account.headers, "If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    await client.patch("/me", headers=account.headers, json={"display_name": "changed"})
    changed = await client.get("/me", headers={**account.headers, "If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag


async def test_stale_if_match_is_412_and_changes_nothing(client):
    account = await signup(client)
    etag = (await client.get("/me", headers=account.headers)).headers["etag"]
    await client.patch("/me", headers=account.headers, json={"display_name": "first"})
    body = assert_problem(await client.patch("/me", headers={**account.headers, "If-Match": etag},
                                             json={"display_name": "second"}), 412)
    assert "If-Match" in body["detail"]
    assert (await client.get("/me", headers=account.headers)).json()["display_name"] == "first"


async def test_current_if_match_and_no_if_match_both_write(client):
    account = await signup(client)
    etag = (await client.get("/me", headers=account.headers)).headers["etag"]
    ok = await client.patch("/me", headers={**account.headers, "If-Match": etag}, json={"display_name": "a"})
    assert ok.status_code == 200
    assert (await client.patch("/me", headers=account.headers, json={"display_name": "b"})).status_code == 200


async def test_stale_if_match_on_delete_is_412(client, conn):
    account = await signup(client)
    assert_problem(await client.delete("/me", headers={**account.headers, "If-Match": '"stale"'}), 412)
    assert await conn.fetchval("SELECT count(*) FROM users") == 1


async def test_concurrent_writes_with_one_etag_let_exactly_one_through(client):
    account = await signup(client)
    etag = (await client.get("/me", headers=account.headers)).headers["etag"]
    results = await asyncio.gather(*[
        client.patch("/me", headers={**account.headers, "If-Match": etag}, json={"display_name": f"writer {i}"})
        for i in range(6)])
    statuses = sorted(r.status_code for r in results)
    assert statuses == [200] + [412] * 5, statuses
