"""Helpers for chat tests: create chats and post messages through the API."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient

from tests.helpers import Account


async def new_chat(client: AsyncTestClient[Any], owner: Account, kind: str = "solo", **body: Any) -> dict[str, Any]:
    response = await client.post("/chats", headers=owner.headers, json={"kind": kind, **body})
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def group_of(client: AsyncTestClient[Any], owner: Account, *members: Account, **body: Any) -> dict[str, Any]:
    return await new_chat(client, owner, "group", member_ids=[m.id for m in members], **body)


async def say(client: AsyncTestClient[Any], who: Account, chat_id: str, content: str = "hello",
              **body: Any) -> dict[str, Any]:
    response = await client.post(f"/chats/{chat_id}/messages", headers=who.headers,
                                 json={"content": content, **body})
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def snapshot(conn: Any) -> dict[str, list[Any]]:
    """Every chat table's rows, for asserting that a refused request changed nothing."""
    return {
        "chats": [tuple(r) for r in await conn.fetch("SELECT * FROM chats ORDER BY id")],
        "chat_members": [tuple(r) for r in await conn.fetch(
            "SELECT * FROM chat_members ORDER BY chat_id, user_id")],
        "messages": [tuple(r) for r in await conn.fetch("SELECT * FROM messages ORDER BY id")],
        "group_contexts": [tuple(r) for r in await conn.fetch("SELECT * FROM group_contexts ORDER BY chat_id")],
        "ledger_entries": [tuple(r) for r in await conn.fetch("SELECT * FROM ledger_entries ORDER BY id")],
        "ledger_shares": [tuple(r) for r in await conn.fetch("SELECT * FROM ledger_shares ORDER BY id")],
    }
