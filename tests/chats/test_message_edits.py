"""Issue #16: messages that can be corrected (edit, delete as a tombstone) and GET /chats?kind=."""

from __future__ import annotations

import uuid

import asyncpg
import pytest

from tests.chats.util import group_of, new_chat, say
from tests.helpers import app_signin, assert_problem, signup


async def test_edit_own_message_marks_it_edited(client):
    alice, bob = await signup(client), await signup(client)
    chat = await group_of(client, alice, bob)
    posted = await say(client, alice, chat["id"], "helo")
    assert posted["edited_at"] is None and posted["deleted"] is False
    assert posted["updated_at"] == posted["created_at"] and posted["version"] == 0
    path = f"/chats/{chat['id']}/messages/{posted['id']}"
    response = await client.patch(path, headers=alice.headers, json={"content": "hello"})
    assert response.status_code == 200, response.text
    edited = response.json()
    assert edited["content"] == "hello" and edited["edited_at"] is not None and edited["version"] == 1
    assert edited["updated_at"] >= posted["created_at"] and edited["created_at"] == posted["created_at"]
    assert (await client.get(path, headers=bob.headers)).json() == edited
    page = (await client.get(f"/chats/{chat['id']}/messages", headers=bob.headers)).json()["items"]
    assert page == [edited]


async def test_only_the_author_edits_or_deletes_and_never_assistant_messages(client, conn):
    alice, bob = await signup(client), await signup(client)
    chat = await group_of(client, alice, bob)
    mine = await say(client, alice, chat["id"], "mine")
    app = await app_signin(client, conn)
    reply = await say(client, app, chat["id"], "AI reply", role="assistant")
    messages = "SELECT * FROM messages WHERE chat_id = $1 ORDER BY id"
    before = [tuple(r) for r in await conn.fetch(messages, uuid.UUID(chat["id"]))]
    for path in (f"/chats/{chat['id']}/messages/{mine['id']}", f"/chats/{chat['id']}/messages/{reply['id']}"):
        assert_problem(await client.patch(path, headers=bob.headers, json={"content": "x"}), 403)
        assert_problem(await client.delete(path, headers=bob.headers), 403)
    reply_path = f"/chats/{chat['id']}/messages/{reply['id']}"
    problem = assert_problem(await client.patch(reply_path, headers=alice.headers, json={"content": "x"}), 403)
    assert "app credential" in problem["detail"]
    assert_problem(await client.delete(reply_path, headers=alice.headers), 403)
    # another chat's message id through this chat: 404
    other = await new_chat(client, alice)
    elsewhere = await say(client, alice, other["id"], "solo")
    assert_problem(await client.patch(f"/chats/{chat['id']}/messages/{elsewhere['id']}", headers=alice.headers,
                                      json={"content": "x"}), 404)
    assert_problem(await client.get(f"/chats/{chat['id']}/messages/999999", headers=alice.headers), 404)
    assert [tuple(r) for r in await conn.fetch(messages, uuid.UUID(chat["id"]))] == before


@pytest.mark.parametrize("body", [{}, {"content": ""}, {"content": "x" * 32001}, {"content": 3},
                                  {"content": "ok", "role": "assistant"}])
async def test_bad_edits_are_400_naming_the_field(client, body):
    alice = await signup(client)
    chat = await new_chat(client, alice)
    posted = await say(client, alice, chat["id"], "text")
    problem = assert_problem(await client.patch(f"/chats/{chat['id']}/messages/{posted['id']}",
                                                headers=alice.headers, json=body), 400)
    assert "content" in str(problem) or "role" in str(problem)
    assert (await client.get(f"/chats/{chat['id']}/messages/{posted['id']}",
                             headers=alice.headers)).json()["content"] == "text"


async def test_delete_leaves_a_tombstone_and_pages_keep_their_rows(client, conn):
    alice, bob = await signup(client), await signup(client)
    chat = await group_of(client, alice, bob)
    posted = [await say(client, alice if i % 2 else bob, chat["id"], f"m{i}",
                        drawer_data={"i": i}, thinking=["t"]) for i in range(7)]
    base = f"/chats/{chat['id']}/messages"
    first = (await client.get(base, headers=alice.headers, params={"limit": 3})).json()
    assert [m["content"] for m in first["items"]] == ["m4", "m5", "m6"]
    # delete a message on the first page and one on the page after it: both stay as tombstones
    for message in (posted[5], posted[3]):
        response = await client.delete(f"{base}/{message['id']}", headers=alice.headers)
        assert response.status_code == 204, response.text
    again = (await client.get(base, headers=alice.headers, params={"limit": 3})).json()
    assert [m["id"] for m in again["items"]] == [m["id"] for m in first["items"]]
    assert again["next_cursor"] == first["next_cursor"]
    tombstone = again["items"][1]
    assert tombstone["deleted"] is True and tombstone["content"] is None
    assert tombstone["thinking"] == [] and tombstone["drawer_data"] is None and tombstone["sender_id"] == alice.id
    second = (await client.get(base, headers=bob.headers, params={"limit": 3, "before": first["next_cursor"]})).json()
    assert [m["id"] for m in second["items"]] == [m["id"] for m in posted[1:4]]
    assert [m["deleted"] for m in second["items"]] == [False, False, True]
    # nothing of the content is left in the row
    row = await conn.fetchrow("SELECT content, drawer_data, deleted_at FROM messages WHERE id = $1", posted[3]["id"])
    assert row["content"] is None and row["drawer_data"] is None and row["deleted_at"] is not None
    # a tombstone is neither edited nor deleted again
    assert_problem(await client.patch(f"{base}/{posted[3]['id']}", headers=alice.headers, json={"content": "x"}), 409)
    assert_problem(await client.delete(f"{base}/{posted[3]['id']}", headers=alice.headers), 409)


async def test_if_match_on_message_edits(client):
    alice = await signup(client)
    chat = await new_chat(client, alice)
    posted = await say(client, alice, chat["id"], "v0")
    path = f"/chats/{chat['id']}/messages/{posted['id']}"
    tag = (await client.get(path, headers=alice.headers)).headers["etag"]
    ok = await client.patch(path, headers={**alice.headers, "If-Match": tag}, json={"content": "v1"})
    assert ok.status_code == 200
    stale = await client.patch(path, headers={**alice.headers, "If-Match": tag}, json={"content": "v2"})
    assert_problem(stale, 412)
    assert (await client.get(path, headers=alice.headers)).json()["content"] == "v1"


async def test_the_database_refuses_a_tombstone_with_content(client, conn):
    alice = await signup(client)
    chat = await new_chat(client, alice)
    posted = await say(client, alice, chat["id"], "text")
    with pytest.raises(asyncpg.CheckViolationError):
        await conn.execute("UPDATE messages SET deleted_at = now() WHERE id = $1", posted["id"])
    with pytest.raises(asyncpg.CheckViolationError):
        await conn.execute("UPDATE messages SET content = NULL WHERE id = $1", posted["id"])


async def test_a_removed_member_can_no_longer_edit(client):
    alice, bob = await signup(client), await signup(client)
    chat = await group_of(client, alice, bob)
    posted = await say(client, bob, chat["id"], "bob's")
    assert (await client.delete(f"/chats/{chat['id']}/members/{bob.id}", headers=alice.headers)).status_code == 204
    assert_problem(await client.patch(f"/chats/{chat['id']}/messages/{posted['id']}", headers=bob.headers,
                                      json={"content": "x"}), 404)


async def test_list_chats_by_kind(client):
    alice, bob = await signup(client), await signup(client)
    solo = await new_chat(client, alice, title="conversation")
    group = await group_of(client, alice, bob, title="group")
    listed = {kind: [c["id"] for c in (await client.get("/chats", headers=alice.headers,
                                                          params={"kind": kind})).json()["items"]]
              for kind in ("solo", "group")}
    assert listed == {"solo": [solo["id"]], "group": [group["id"]]}
    both = (await client.get("/chats", headers=alice.headers)).json()["items"]
    assert {c["id"] for c in both} == {solo["id"], group["id"]}
    problem = assert_problem(await client.get("/chats", headers=alice.headers, params={"kind": "channel"}), 400)
    assert "kind" in str(problem)
    # paging within one kind
    more = [await new_chat(client, alice, title=f"c{i}") for i in range(3)]
    seen, cursor = [], None
    while True:
        params = {"kind": "solo", "limit": 2, **({"before": cursor} if cursor else {})}
        body = (await client.get("/chats", headers=alice.headers, params=params)).json()
        seen += [c["id"] for c in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted([solo["id"]] + [c["id"] for c in more])
    assert uuid.UUID(group["id"]) not in {uuid.UUID(s) for s in seen}
