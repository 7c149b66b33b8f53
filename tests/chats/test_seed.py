"""The chat part of the demo world."""

from __future__ import annotations

from decimal import Decimal

from service.accounts.passwords import Passwords
from service.seed import DEMO_PASSWORD, seed
from tests.helpers import login


async def test_seed_builds_the_demo_chats_once(conn, settings, client):
    users = await seed(conn, Passwords(settings))
    await seed(conn, Passwords(settings))
    chats = await conn.fetch("SELECT c.id, c.kind, m.user_id AS owner_id, c.title FROM chats AS c "
                             "JOIN chat_members AS m ON m.chat_id = c.id AND m.role = 'owner' ORDER BY c.kind DESC")
    assert [(c["kind"], c["owner_id"]) for c in chats] == [("solo", users["alice"]), ("group", users["alice"])]
    solo, group = chats[0]["id"], chats[1]["id"]

    solo_messages = await conn.fetch("SELECT role, sender_id, thinking, action FROM messages WHERE chat_id = $1 "
                                     "ORDER BY id", solo)
    assert [m["role"] for m in solo_messages] == ["user", "assistant", "user", "assistant"]
    assert solo_messages[0]["sender_id"] == users["alice"] and solo_messages[1]["sender_id"] is None
    assert "tracker" in {m["action"] for m in solo_messages}
    assert all(m["thinking"] for m in solo_messages if m["role"] == "assistant")

    members = await conn.fetch("SELECT user_id, role FROM chat_members WHERE chat_id = $1", group)
    assert dict((m["user_id"], m["role"]) for m in members) == {
        users["alice"]: "owner", users["bob"]: "member", users["charlie"]: "member"}
    assert await conn.fetchval("SELECT count(*) FROM messages WHERE chat_id = $1 AND action = 'split'", group) == 1
    context = await conn.fetchrow("SELECT total_spend, context_summary FROM group_contexts WHERE chat_id = $1", group)
    assert context["total_spend"] == Decimal("96.00") and context["context_summary"]

    # Bob sees the group chat through the API, with its split message last
    tokens = await login(client, "bob@test.com", DEMO_PASSWORD)
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    listed = (await client.get("/chats", headers=headers)).json()["items"]
    assert [c["title"] for c in listed] == ["Dinner at Luigi's"] and listed[0]["member_count"] == 3
    assert listed[0]["last_message_role"] == "assistant"
    # the split card is a real ledger entry: Alice paid 96.00, 32.00 each; Bob and Charlie owe her
    chat_id = listed[0]["id"]
    (entry,) = (await client.get(f"/chats/{chat_id}/ledger", headers=headers)).json()["items"]
    split_id = await conn.fetchval("SELECT id FROM messages WHERE chat_id = $1 AND action = 'split'", group)
    assert entry["message_id"] == split_id and entry["payer_id"] == str(users["alice"])
    assert sorted(s["amount"] for s in entry["shares"]) == ["32.00", "32.00", "32.00"]
    body = (await client.get(f"/chats/{chat_id}/balances", headers=headers)).json()
    assert {m["user_id"]: m["net"] for m in body["members"]} == {
        str(users["alice"]): "64.00", str(users["bob"]): "-32.00", str(users["charlie"]): "-32.00"}
    assert len(body["transfers"]) == 2
