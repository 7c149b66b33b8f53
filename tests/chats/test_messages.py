"""Messages: posting (sender rules, activity times), keyset pages, bad input."""

from __future__ import annotations

import uuid

import asyncpg
import pytest

from tests.chats.util import group_of, new_chat, say, snapshot
from tests.helpers import app_signin, assert_problem, signup


async def test_user_and_assistant_messages(client, conn):
    alice = await signup(client)
    assistant = await app_signin(client, conn)
    chat = await new_chat(client, alice)
    mine = await say(client, alice, chat["id"], "How much on food?")
    assert mine["sender_id"] == alice.id and mine["role"] == "user"
    assert (mine["thinking"], mine["action"], mine["drawer_data"]) == ([], "none", None)
    reply = await say(client, assistant, chat["id"], "About $140.", role="assistant",
                      thinking=["Reading orders", {"step": 2, "text": "Summing"}], action="tracker",
                      drawer_data={"total": "140.00", "orders": [1, 2]})
    assert reply["sender_id"] is None and reply["role"] == "assistant" and reply["action"] == "tracker"
    assert reply["thinking"] == ["Reading orders", {"step": 2, "text": "Summing"}]
    assert reply["drawer_data"] == {"total": "140.00", "orders": [1, 2]}
    assert reply["id"] > mine["id"]
    stored = await conn.fetchrow("SELECT sender_id, thinking, drawer_data FROM messages WHERE id = $1", reply["id"])
    assert stored["sender_id"] is None and stored["thinking"][1] == {"step": 2, "text": "Summing"}


async def test_posting_moves_chat_updated_at_and_group_last_activity(client, conn):
    alice, bob = await signup(client), await signup(client)
    group = await group_of(client, alice, bob)
    solo = await new_chat(client, alice)
    message = await say(client, bob, group["id"], "hi all")
    row = await conn.fetchrow(
        "SELECT c.updated_at, gc.last_activity_at, m.created_at FROM chats AS c "
        "JOIN group_contexts AS gc ON gc.chat_id = c.id JOIN messages AS m ON m.chat_id = c.id WHERE c.id = $1",
        uuid.UUID(group["id"]))
    assert row["updated_at"] == row["last_activity_at"] == row["created_at"]
    assert (await client.get(f"/chats/{group['id']}", headers=alice.headers)).json()["last_message_id"] == message["id"]
    solo_message = await say(client, alice, solo["id"])
    chat = (await client.get(f"/chats/{solo['id']}", headers=alice.headers)).json()
    assert chat["updated_at"] == solo_message["created_at"] and chat["updated_at"] > solo["updated_at"]


async def test_messages_page_is_newest_in_chronological_order(client):
    alice = await signup(client)
    chat = await new_chat(client, alice)
    ids = [(await say(client, alice, chat["id"], f"m{i}"))["id"] for i in range(5)]
    body = (await client.get(f"/chats/{chat['id']}/messages", headers=alice.headers, params={"limit": 3})).json()
    assert [m["id"] for m in body["items"]] == ids[2:]
    older = (await client.get(f"/chats/{chat['id']}/messages", headers=alice.headers,
                              params={"limit": 3, "before": body["next_cursor"]})).json()
    assert [m["id"] for m in older["items"]] == ids[:2] and older["next_cursor"] is None
    everything = (await client.get(f"/chats/{chat['id']}/messages", headers=alice.headers)).json()
    assert [m["id"] for m in everything["items"]] == ids and everything["next_cursor"] is None
    assert set(everything["items"][0]) == {"id", "sender_id", "role", "content", "thinking", "action",
                                           "drawer_data", "created_at"}


async def test_paging_back_loses_and_repeats_nothing_while_messages_arrive(client):
    alice, bob = await signup(client), await signup(client)
    chat = await group_of(client, alice, bob)
    existing = [(await say(client, alice if i % 2 else bob, chat["id"], f"old {i}"))["id"] for i in range(23)]
    seen: list[int] = []
    cursor = None
    arrived = 0
    while True:
        params = {"limit": 4, **({"before": cursor} if cursor else {})}
        body = (await client.get(f"/chats/{chat['id']}/messages", headers=bob.headers, params=params)).json()
        ids = [m["id"] for m in body["items"]]
        assert ids == sorted(ids)  # chronological within a page
        seen = ids + seen
        # new messages arrive between page requests
        await say(client, alice, chat["id"], f"new {arrived}")
        arrived += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == existing  # every old message exactly once, in order, none of the new ones
    assert arrived == 6


@pytest.mark.parametrize("body", [
    {"content": "x", "role": "system"},
    {"content": "x", "action": "transfer"},
    {"content": "x", "thinking": "not an array"},
    {"content": "x", "thinking": {"step": 1}},
    {"content": "x", "drawer_data": ["not", "an", "object"]},
    {"content": "x", "drawer_data": "text"},
    {"content": ""},
    {"content": "x" * 32001},
    {"content": 5},
    {"role": "user"},
    {"content": "x", "sender_id": "00000000-0000-0000-0000-000000000000"},
])
async def test_bad_messages_are_400_and_change_nothing(client, conn, body):
    alice = await signup(client)
    chat = await new_chat(client, alice)
    await say(client, alice, chat["id"], "first")
    before = await snapshot(conn)
    assert_problem(await client.post(f"/chats/{chat['id']}/messages", headers=alice.headers, json=body), 400)
    assert await snapshot(conn) == before


async def test_longest_content_is_accepted(client):
    alice = await signup(client)
    chat = await new_chat(client, alice)
    message = await say(client, alice, chat["id"], "é" * 32000)
    assert len(message["content"]) == 32000


async def test_assistant_message_cannot_have_a_sender_in_ddl(client, conn):
    alice = await signup(client)
    chat = await new_chat(client, alice)
    with pytest.raises(asyncpg.CheckViolationError) as info:
        await conn.execute("INSERT INTO messages (chat_id, sender_id, role, content) VALUES ($1, $2, 'assistant', 'x')",
                           uuid.UUID(chat["id"]), uuid.UUID(alice.id))
    assert info.value.constraint_name == "messages_sender_chk"


@pytest.mark.parametrize("params", [{"before": "garbage"}, {"before": "WyJ4Il0"}, {"limit": 0}, {"limit": 201}])
async def test_bad_message_page_requests_are_400(client, params):
    alice = await signup(client)
    chat = await new_chat(client, alice)
    await say(client, alice, chat["id"])
    assert_problem(await client.get(f"/chats/{chat['id']}/messages", headers=alice.headers, params=params), 400)


async def test_limit_200_is_allowed(client):
    alice = await signup(client)
    chat = await new_chat(client, alice)
    response = await client.get(f"/chats/{chat['id']}/messages", headers=alice.headers, params={"limit": 200})
    assert response.status_code == 200 and response.json() == {"items": [], "next_cursor": None}
