"""Group context: read, summary, atomic spend."""

from __future__ import annotations

import asyncio
import uuid
from decimal import Decimal

import asyncpg
import pytest

from tests.chats.util import group_of, new_chat, snapshot
from tests.helpers import assert_problem, signup


async def test_context_read_and_summary(client):
    alice, bob = await signup(client), await signup(client)
    chat = await group_of(client, alice, bob)
    context = (await client.get(f"/chats/{chat['id']}/context", headers=bob.headers)).json()
    assert context["chat_id"] == chat["id"] and context["total_spend"] == "0.00"
    assert context["context_summary"] is None
    response = await client.put(f"/chats/{chat['id']}/context", headers=bob.headers,
                                json={"context_summary": "Dinner split three ways"})
    assert response.status_code == 200 and response.json()["context_summary"] == "Dinner split three ways"
    cleared = await client.put(f"/chats/{chat['id']}/context", headers=alice.headers, json={"context_summary": None})
    assert cleared.json()["context_summary"] is None


async def test_solo_chat_has_no_context(client, conn):
    alice = await signup(client)
    chat = await new_chat(client, alice)
    path = f"/chats/{chat['id']}/context"
    assert_problem(await client.get(path, headers=alice.headers), 404)
    assert_problem(await client.put(path, headers=alice.headers, json={"context_summary": "x"}), 404)
    assert_problem(await client.post(f"{path}/spend", headers=alice.headers, json={"amount": "1.00"}), 404)
    # and the DDL refuses one too
    with pytest.raises(asyncpg.ForeignKeyViolationError):
        await conn.execute("INSERT INTO group_contexts (chat_id) VALUES ($1)", uuid.UUID(chat["id"]))


async def test_spend_adds_exactly(client):
    alice, bob = await signup(client), await signup(client)
    chat = await group_of(client, alice, bob)
    path = f"/chats/{chat['id']}/context/spend"
    for amount in ["12.50", "0.01", "7", "0.5"]:
        response = await client.post(path, headers=bob.headers, json={"amount": amount})
        assert response.status_code == 200, response.text
    assert response.json()["total_spend"] == "20.01"


async def test_fifty_concurrent_adds_end_at_exactly_fifty(client, conn):
    alice, bob = await signup(client), await signup(client)
    chat = await group_of(client, alice, bob)
    path = f"/chats/{chat['id']}/context/spend"
    await client.post(path, headers=alice.headers, json={"amount": "3.25"})

    async def add(i):
        response = await client.post(path, headers=(alice if i % 2 else bob).headers, json={"amount": "1.00"})
        assert response.status_code == 200, response.text

    await asyncio.gather(*(add(i) for i in range(50)))
    total = await conn.fetchval("SELECT total_spend FROM group_contexts WHERE chat_id = $1", uuid.UUID(chat["id"]))
    assert total == Decimal("53.25")


@pytest.mark.parametrize("body", [
    {"amount": "-1.00"}, {"amount": "0"}, {"amount": "0.00"}, {"amount": "1.001"}, {"amount": 1.5},
    {"amount": 2}, {"amount": "abc"}, {"amount": "1e3"}, {"amount": "12345678901.00"}, {},
    {"amount": "1.00", "note": "x"},
])
async def test_bad_spend_is_400_and_changes_nothing(client, conn, body):
    alice, bob = await signup(client), await signup(client)
    chat = await group_of(client, alice, bob)
    before = await snapshot(conn)
    assert_problem(await client.post(f"/chats/{chat['id']}/context/spend", headers=alice.headers, json=body), 400)
    assert await snapshot(conn) == before


async def test_spend_past_numeric_12_2_is_422(client, conn):
    alice, bob = await signup(client), await signup(client)
    chat = await group_of(client, alice, bob)
    path = f"/chats/{chat['id']}/context/spend"
    assert (await client.post(path, headers=alice.headers, json={"amount": "9999999999.99"})).status_code == 200
    assert_problem(await client.post(path, headers=alice.headers, json={"amount": "1.00"}), 422)
    total = await conn.fetchval("SELECT total_spend FROM group_contexts WHERE chat_id = $1", uuid.UUID(chat["id"]))
    assert total == Decimal("9999999999.99")


async def test_bad_summary_is_400(client, conn):
    alice, bob = await signup(client), await signup(client)
    chat = await group_of(client, alice, bob)
    before = await snapshot(conn)
    for body in [{"context_summary": "x" * 4001}, {}, {"context_summary": 3}, {"total_spend": "5.00"}]:
        assert_problem(await client.put(f"/chats/{chat['id']}/context", headers=alice.headers, json=body), 400)
    assert await snapshot(conn) == before
