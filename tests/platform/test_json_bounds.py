"""Bounded data (#13 §2): the API's jsonb size bound and the schema's size CHECK agree.

The API measures ``json_size.jsonb_size`` (an upper bound of PostgreSQL's uncompressed jsonb
size); the CHECK measures ``pg_column_size`` at write time.  For each client-written column:
the largest value the API accepts is stored (so it passed the CHECK); one byte more is a 400
naming the field and stores nothing; and the bound is never below PostgreSQL's own measure,
whatever the value's shape."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import asyncpg
import pytest

from service.http import json_size
from tests.helpers import assert_problem, signup
from tests.quest.support import github_request, push_payload

SHAPES: list[Any] = [
    {}, [], [0] * 5000, [[]] * 3000, [{}] * 3000, {f"k{i}": 0 for i in range(3000)},
    {"": [None, True, False] * 1000}, [1.2345678901234567e-300] * 1000, [-(2**63)] * 1000, [10**18] * 1000,
    ["é" * 1000, "\u0000"[:0] + "\n\t\"\\" * 500], {"nested": [[[[{"a": [1, 2.5, "x"]}]]]] * 300},
    ["x" * 10_000], {"a" * 200: "b" * 2000},
]


@pytest.mark.parametrize("value", SHAPES, ids=range(len(SHAPES)))
async def test_the_api_measure_never_underestimates_postgres(conn, value):
    actual = await conn.fetchval("SELECT pg_column_size($1::jsonb)", value)
    assert json_size.jsonb_size(value) >= actual


def largest(limit: int, make: Callable[[int], Any]) -> tuple[Any, Any]:
    """The value of shape ``make(n)`` (a string of n characters inside) whose measure is exactly ``limit``,
    and the same with one more character."""
    n = limit - json_size.jsonb_size(make(0))
    fits, over = make(n), make(n + 1)
    assert json_size.jsonb_size(fits) == limit and json_size.jsonb_size(over) == limit + 1
    return fits, over


async def test_preferences(client, conn):
    alice = await signup(client)
    fits, over = largest(json_size.PREFERENCES_MAX, lambda n: {"theme": "x" * n})
    ok = await client.patch("/me", headers=alice.headers, json={"preferences": fits})
    assert ok.status_code == 200, ok.text
    refused = assert_problem(await client.patch("/me", headers=alice.headers, json={"preferences": over}), 400)
    assert "preferences" in refused["detail"]
    assert await conn.fetchval("SELECT preferences FROM users WHERE id = $1::uuid", alice.id) == fits


async def test_message_thinking_drawer_data_and_thinking_items(client, conn):
    alice = await signup(client)
    chat = (await client.post("/chats", headers=alice.headers, json={"kind": "solo"})).json()
    url = f"/chats/{chat['id']}/messages"

    item_fits, item_over = largest(json_size.THINKING_ITEM_MAX, lambda n: {"step": "x" * n})
    ok = await client.post(url, headers=alice.headers, json={"content": "a", "thinking": [item_fits]})
    assert ok.status_code == 201, ok.text
    body = assert_problem(await client.post(url, headers=alice.headers,
                                            json={"content": "a", "thinking": [item_over]}), 400)
    assert "thinking[0]" in body["detail"]

    # the whole array: items under the item bound, the last one filling up to the total bound
    def steps(n: int) -> list[Any]:
        return [{"step": "y" * 7900}] * 8 + [{"step": "x" * n}]
    fits, over = largest(json_size.THINKING_MAX, steps)
    assert all(json_size.jsonb_size(s) <= json_size.THINKING_ITEM_MAX for s in fits)
    ok = await client.post(url, headers=alice.headers, json={"content": "b", "thinking": fits})
    assert ok.status_code == 201, ok.text
    over_body = assert_problem(await client.post(url, headers=alice.headers,
                                                 json={"content": "b", "thinking": over}), 400)
    assert "thinking is too large" in over_body["detail"]

    fits, over = largest(json_size.DRAWER_DATA_MAX, lambda n: {"rows": ["x" * n]})
    ok = await client.post(url, headers=alice.headers, json={"content": "c", "drawer_data": fits})
    assert ok.status_code == 201, ok.text
    assert "drawer_data" in assert_problem(await client.post(url, headers=alice.headers,
                                                             json={"content": "c", "drawer_data": over}), 400)["detail"]
    assert await conn.fetchval("SELECT count(*) FROM messages") == 3


async def test_pet_traits(client, conn):
    alice = await signup(client)
    fits, over = largest(json_size.TRAITS_MAX, lambda n: {"colour": "x" * n})
    ok = await client.post("/pets", headers=alice.headers, json={"name": "Mochi", "state": {"traits": fits}})
    assert ok.status_code == 201, ok.text
    refused = await client.post("/pets", headers=alice.headers, json={"name": "Mochi", "state": {"traits": over}})
    assert "traits" in assert_problem(refused, 400)["detail"]
    patch = await client.patch(f"/pets/{ok.json()['id']}", headers=alice.headers, json={"state": {"traits": over}})
    assert "traits" in assert_problem(patch, 400)["detail"]
    assert await conn.fetchval("SELECT count(*) FROM pets") == 1


async def test_linked_account_permissions(client):
    """50 permissions of at most 100 characters (the request's shape) always fit the column's bound."""
    alice = await signup(client)
    largest_allowed = ["\U0001f600" * 100] * 50  # 4 bytes each
    assert json_size.jsonb_size(largest_allowed) <= json_size.PERMISSIONS_MAX
    body = {"institution": "Bank", "account_name": "Main", "knot_item_id": "knot-1", "permissions": largest_allowed}
    ok = await client.post("/linked-accounts", headers=alice.headers, json=body)
    assert ok.status_code == 201, ok.text


async def test_webhook_payload_is_refused_with_413_above_the_bound(client, conn):
    def payload(n: int) -> dict[str, Any]:
        return {**push_payload("77", 0), "padding": "x" * n}
    fits, over = largest(json_size.PAYLOAD_MAX, payload)
    body, headers = github_request(fits)
    ok = await client.post("/webhooks/github", content=body, headers=headers)
    assert ok.status_code == 200, ok.text
    body, headers = github_request(over)
    refused = assert_problem(await client.post("/webhooks/github", content=body, headers=headers), 413)
    assert refused["field"] == "payload"
    assert await conn.fetchval("SELECT count(*) FROM events_raw") == 1


@pytest.mark.parametrize(("table", "column", "limit"), [
    ("users", "preferences", json_size.PREFERENCES_MAX), ("messages", "thinking", json_size.THINKING_MAX),
    ("messages", "drawer_data", json_size.DRAWER_DATA_MAX), ("pets", "traits", json_size.TRAITS_MAX),
    ("linked_accounts", "permissions", json_size.PERMISSIONS_MAX), ("events_raw", "payload", json_size.PAYLOAD_MAX),
    ("events", "metadata", json_size.METADATA_MAX), ("audit_log", "details", json_size.AUDIT_DETAILS_MAX),
])
async def test_each_check_has_the_api_bound(conn, table, column, limit):
    definition = await conn.fetchval(
        "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = $1", f"{table}_{column}_size_chk")
    assert definition == f"CHECK ((pg_column_size({column}) <= {limit}))"


async def test_the_check_refuses_another_writer(client, conn):
    """psql or a script meets the same bound in the database (the CHECK measures before compression:
    a highly compressible value is refused too)."""
    alice = await signup(client)
    sql = "UPDATE users SET preferences = jsonb_build_object('a', repeat('x', $2::int)) WHERE id = $1::uuid"
    with pytest.raises(asyncpg.CheckViolationError, match="users_preferences_size_chk"):
        await conn.execute(sql, alice.id, json_size.PREFERENCES_MAX)
    await conn.execute(sql, alice.id, json_size.PREFERENCES_MAX - 64)
