"""Regressions for what schemathesis found.

- NUL characters reached PostgreSQL (which cannot store them in text or jsonb) and came back as
  422 "wrong form" (on login, too); they are bad input, refused with a 400 up front.
- ``GET /stats/daily?to=0001-01-01`` was a 500: the default ``from`` (to - 29 days) overflowed.
"""

from __future__ import annotations

from tests.helpers import assert_problem, signup


async def test_nul_in_a_json_string_is_a_400_and_nothing_is_stored(client, conn):
    account = await signup(client)
    assert_problem(await client.post("/tasks", headers=account.headers, json={"title": "a\u0000b"}), 400)
    assert_problem(await client.post("/auth/login", json={"email": "\u0000@x.io", "password": "p"}), 400)
    chat = (await client.post("/chats", headers=account.headers, json={"kind": "solo"})).json()
    assert_problem(await client.post(f"/chats/{chat['id']}/messages", headers=account.headers,
                                     json={"content": "hi", "drawer_data": {"k\u0000": 1}}), 400)
    assert await conn.fetchval("SELECT count(*) FROM tasks") == 0
    assert await conn.fetchval("SELECT count(*) FROM messages") == 0


async def test_a_backslash_followed_by_u0000_is_just_text(client):
    account = await signup(client)
    response = await client.post("/tasks", headers=account.headers, json={"title": "C:\\u0000"})
    assert response.status_code == 201, response.text
    assert response.json()["title"] == "C:\\u0000"


async def test_nul_in_a_query_parameter_is_a_400(client):
    account = await signup(client)
    assert_problem(await client.get("/expenses?q=a%00b", headers=account.headers), 400)


async def test_daily_stats_at_the_first_representable_day_is_not_a_500(client):
    account = await signup(client)
    response = await client.get("/stats/daily?to=0001-01-01", headers=account.headers)
    assert response.status_code == 200, response.text
    assert response.json()["from"] == "0001-01-01"
