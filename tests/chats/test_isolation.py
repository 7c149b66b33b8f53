"""Isolation: a user who is not a member gets 404 for every id of another user's chats, on every verb."""

from __future__ import annotations

from tests.chats.util import group_of, new_chat, say, snapshot
from tests.helpers import assert_problem, signup


def every_request(chat_id: str, member_id: str) -> list[tuple[str, str, dict | None]]:
    base = f"/chats/{chat_id}"
    return [
        ("GET", base, None),
        ("PATCH", base, {"title": "mine now"}),
        ("DELETE", base, None),
        ("GET", f"{base}/members", None),
        ("POST", f"{base}/members", {"user_id": member_id}),
        ("PATCH", f"{base}/members/{member_id}", {"role": "admin"}),
        ("PATCH", f"{base}/members/{member_id}", {"role": "owner"}),
        ("DELETE", f"{base}/members/{member_id}", None),
        ("GET", f"{base}/messages", None),
        ("POST", f"{base}/messages", {"content": "intruder"}),
        ("GET", f"{base}/context", None),
        ("PUT", f"{base}/context", {"context_summary": "hijacked"}),
        ("POST", f"{base}/context/spend", {"amount": "1.00"}),
    ]


async def test_a_non_member_gets_404_everywhere_and_changes_nothing(client, conn):
    alice, bob, mallory = await signup(client), await signup(client), await signup(client)
    solo = await new_chat(client, alice, title="private")
    group = await group_of(client, alice, bob, title="team")
    for chat in (solo, group):
        await say(client, alice, chat["id"], "secret")
    before = await snapshot(conn)
    checked = 0
    for chat in (solo, group):
        # member ids of the chat (alice, bob), and mallory herself (trying to join, or to "leave")
        for member_id in (alice.id, bob.id, mallory.id):
            for method, path, body in every_request(chat["id"], member_id):
                response = await client.request(method, path, headers=mallory.headers, json=body)
                problem = assert_problem(response, 404)
                assert "secret" not in response.text and problem["status"] == 404
                checked += 1
    assert checked == 2 * 3 * 13
    for chat_id in (solo["id"], group["id"], "00000000-0000-4000-8000-000000000000"):
        # role assistant is refused to every user token before any chat is looked at: the same 403 for a
        # foreign chat and a missing one tells nothing (an app token posts it; tests/apps/)
        forged = await client.post(f"/chats/{chat_id}/messages", headers=mallory.headers,
                                   json={"content": "intruder", "role": "assistant"})
        assert assert_problem(forged, 403)["detail"].startswith("role assistant is posted by an app credential")
    assert await snapshot(conn) == before
    # mallory's own list stays empty
    assert (await client.get("/chats", headers=mallory.headers)).json() == {"items": [], "next_cursor": None}


async def test_a_missing_chat_and_a_foreign_chat_look_the_same(client):
    alice, mallory = await signup(client), await signup(client)
    chat = await new_chat(client, alice)
    foreign = await client.get(f"/chats/{chat['id']}", headers=mallory.headers)
    missing = await client.get("/chats/00000000-0000-4000-8000-000000000000", headers=mallory.headers)
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json()
