"""Chats: create, list, read, rename, delete; titles; cascades."""

from __future__ import annotations

import uuid

from tests.chats.util import group_of, new_chat, say, snapshot
from tests.helpers import app_signin, assert_problem, purge_deleted_accounts, signup


async def test_solo_chat_has_exactly_its_owner_as_member_and_no_context(client, conn):
    alice = await signup(client)
    chat = await new_chat(client, alice, title="Budget")
    assert chat["kind"] == "solo" and chat["owner_id"] == alice.id and chat["title"] == "Budget"
    assert chat["my_role"] == "owner" and chat["member_count"] == 1 and chat["last_message_id"] is None
    rows = await conn.fetch("SELECT user_id::text, role FROM chat_members WHERE chat_id = $1", uuid.UUID(chat["id"]))
    assert [tuple(r) for r in rows] == [(alice.id, "owner")]
    assert await conn.fetchval("SELECT count(*) FROM group_contexts") == 0


async def test_group_chat_starts_with_owner_members_and_context(client, conn):
    alice, bob, carol = await signup(client), await signup(client), await signup(client)
    # the owner and a repeated id are ignored
    chat = await new_chat(client, alice, "group", member_ids=[bob.id, carol.id, bob.id, alice.id])
    assert chat["member_count"] == 3 and chat["title"] is None
    rows = await conn.fetch("SELECT user_id::text, role FROM chat_members WHERE chat_id = $1",
                            uuid.UUID(chat["id"]))
    assert dict(rows) == {alice.id: "owner", bob.id: "member", carol.id: "member"}
    context = await conn.fetchrow("SELECT total_spend, context_summary FROM group_contexts WHERE chat_id = $1",
                                  uuid.UUID(chat["id"]))
    assert str(context["total_spend"]) == "0.00" and context["context_summary"] is None
    seen_by_bob = (await client.get(f"/chats/{chat['id']}", headers=bob.headers)).json()
    assert seen_by_bob["my_role"] == "member" and seen_by_bob["member_count"] == 3


async def test_create_refusals_change_nothing(client, conn):
    alice, bob = await signup(client), await signup(client)
    before = await snapshot(conn)
    # a solo chat cannot have other members (DDL: chat_members_solo_owner_chk)
    body = assert_problem(await client.post("/chats", headers=alice.headers,
                                            json={"kind": "solo", "member_ids": [bob.id]}), 422)
    assert "solo" in body["detail"]
    # an unknown member: the whole statement is undone (no chat without its members)
    assert_problem(await client.post("/chats", headers=alice.headers,
                                     json={"kind": "group", "member_ids": [str(uuid.uuid4())]}), 422)
    for bad in [{"kind": "channel"}, {"kind": "solo", "title": "x" * 201}, {"kind": "solo", "title": "   "},
                {"kind": "solo", "title": ""}, {"kind": "solo", "owner_id": bob.id}, {},
                {"kind": "group", "member_ids": ["not-a-uuid"]}, {"kind": "solo", "title": 5}]:
        assert_problem(await client.post("/chats", headers=alice.headers, json=bad), 400)
    response = await client.post("/chats", headers={**alice.headers, "content-type": "application/json"},
                                 content=b'{"kind": "solo"')
    assert_problem(response, 400)
    assert await snapshot(conn) == before


async def test_title_comes_from_the_first_user_message(client, conn):
    alice = await signup(client)
    assistant = await app_signin(client, conn)
    chat = await new_chat(client, alice)
    await say(client, assistant, chat["id"], "An assistant reply first", role="assistant")
    assert (await client.get(f"/chats/{chat['id']}", headers=alice.headers)).json()["title"] is None
    long = "  What did I spend\n\non   groceries " + "x" * 100
    await say(client, alice, chat["id"], long)
    await say(client, alice, chat["id"], "a later message does not rename")
    title = (await client.get(f"/chats/{chat['id']}", headers=alice.headers)).json()["title"]
    expected = " ".join(long.split())[:60]
    assert title == expected and len(title) == 60
    # an explicit title is never replaced
    named = await new_chat(client, alice, title="Mine")
    await say(client, alice, named["id"], "something else")
    assert (await client.get(f"/chats/{named['id']}", headers=alice.headers)).json()["title"] == "Mine"


async def test_sql_looking_title_and_content_are_stored_verbatim(client):
    alice = await signup(client)
    text = "'); DROP TABLE chats; --"
    chat = await new_chat(client, alice, title=text)
    message = await say(client, alice, chat["id"], text)
    assert chat["title"] == text and message["content"] == text
    assert (await client.get("/chats", headers=alice.headers)).json()["items"][0]["title"] == text


async def test_list_is_most_recently_active_first_with_preview_and_member_count(client):
    alice, bob = await signup(client), await signup(client)
    first = await new_chat(client, alice, title="first")
    group = await group_of(client, alice, bob, title="group")
    third = await new_chat(client, alice, title="third")
    await say(client, bob, group["id"], "b" * 300)  # the group becomes the most recent
    items = (await client.get("/chats", headers=alice.headers)).json()["items"]
    assert [c["id"] for c in items] == [group["id"], third["id"], first["id"]]
    top = items[0]
    assert top["member_count"] == 2 and top["last_message_role"] == "user"
    assert top["last_message_preview"] == "b" * 120 and top["last_message_at"] == top["updated_at"]
    assert [c["id"] for c in (await client.get("/chats", headers=bob.headers)).json()["items"]] == [group["id"]]


async def test_list_pages_cover_every_chat_once(client):
    alice = await signup(client)
    ids = {(await new_chat(client, alice, title=f"c{i}"))["id"] for i in range(7)}
    seen, cursor = [], None
    while True:
        params = {"limit": 3, **({"before": cursor} if cursor else {})}
        body = (await client.get("/chats", headers=alice.headers, params=params)).json()
        seen += [c["id"] for c in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 7 and set(seen) == ids


async def test_list_rejects_bad_cursor_and_limit(client):
    alice = await signup(client)
    for params in [{"before": "garbage!"}, {"before": "WzFd"}, {"limit": 0}, {"limit": 201}, {"limit": "x"}]:
        assert_problem(await client.get("/chats", headers=alice.headers, params=params), 400)


async def test_rename_by_owner_and_admin_but_not_member(client, conn):
    alice, bob, carol = await signup(client), await signup(client), await signup(client)
    chat = await group_of(client, alice, bob, carol)
    await client.patch(f"/chats/{chat['id']}/members/{bob.id}", headers=alice.headers, json={"role": "admin"})
    response = await client.patch(f"/chats/{chat['id']}", headers=alice.headers, json={"title": "Trip"})
    assert response.status_code == 200 and response.json()["title"] == "Trip"
    response = await client.patch(f"/chats/{chat['id']}", headers=bob.headers, json={"title": "Bob's trip"})
    assert response.status_code == 200 and response.json()["my_role"] == "admin"
    before = await snapshot(conn)
    assert_problem(await client.patch(f"/chats/{chat['id']}", headers=carol.headers, json={"title": "No"}), 403)
    for bad in [{"title": "x" * 201}, {"title": ""}, {}, {"title": "ok", "kind": "solo"}]:
        assert_problem(await client.patch(f"/chats/{chat['id']}", headers=alice.headers, json=bad), 400)
    assert await snapshot(conn) == before
    cleared = await client.patch(f"/chats/{chat['id']}", headers=alice.headers, json={"title": None})
    assert cleared.json()["title"] is None


async def test_delete_is_owner_only_and_cascades(client, conn):
    alice, bob = await signup(client), await signup(client)
    chat = await group_of(client, alice, bob)
    await say(client, bob, chat["id"])
    await client.post(f"/chats/{chat['id']}/context/spend", headers=bob.headers, json={"amount": "5.00"})
    assert_problem(await client.delete(f"/chats/{chat['id']}", headers=bob.headers), 403)
    assert (await client.delete(f"/chats/{chat['id']}", headers=alice.headers)).status_code == 204
    for table in ("chats", "chat_members", "messages", "group_contexts"):
        assert await conn.fetchval(f"SELECT count(*) FROM {table}") == 0, table  # noqa: S608
    assert_problem(await client.get(f"/chats/{chat['id']}", headers=alice.headers), 404)
    assert_problem(await client.delete(f"/chats/{chat['id']}", headers=alice.headers), 404)


async def test_deleting_a_user_removes_their_solo_chats_hands_over_groups_and_keeps_their_messages(client, conn):
    alice, bob, carol = await signup(client), await signup(client), await signup(client)
    bobs_solo = await new_chat(client, bob)
    bobs_group = await group_of(client, bob, alice)
    alices_group = await group_of(client, alice, bob, carol)
    await say(client, bob, alices_group["id"], "from bob")
    await say(client, bob, bobs_group["id"], "bob in his own group")
    assert (await client.delete("/me", headers=bob.headers)).status_code == 204
    await purge_deleted_accounts(conn)  # the row and its cascades go with the account_purge job
    remaining = {r[0] for r in await conn.fetch("SELECT id::text FROM chats")}
    assert remaining == {alices_group["id"], bobs_group["id"]}  # bob's solo chat is gone, his group stays
    assert bobs_solo["id"] not in remaining
    members = await conn.fetch("SELECT user_id::text, chat_id::text, role FROM chat_members")
    assert {tuple(r) for r in members} == {(alice.id, alices_group["id"], "owner"),
                                           (carol.id, alices_group["id"], "member"),
                                           (alice.id, bobs_group["id"], "owner")}
    rows = await conn.fetch("SELECT sender_id, role, content FROM messages ORDER BY id")
    assert [tuple(r) for r in rows] == [(None, "user", "from bob"), (None, "user", "bob in his own group")]
    page = (await client.get(f"/chats/{alices_group['id']}/messages", headers=carol.headers)).json()
    assert [(m["sender_id"], m["content"]) for m in page["items"]] == [(None, "from bob")]
    assert (await client.get(f"/chats/{alices_group['id']}", headers=alice.headers)).json()["member_count"] == 2
    handed = (await client.get(f"/chats/{bobs_group['id']}", headers=alice.headers)).json()
    assert handed["owner_id"] == alice.id and handed["my_role"] == "owner" and handed["member_count"] == 1


async def test_malformed_chat_id_is_a_client_error(client):
    alice = await signup(client)
    response = await client.get("/chats/not-a-uuid", headers=alice.headers)
    assert 400 <= response.status_code < 500


async def test_every_chat_route_needs_a_token(client):
    chat_id = uuid.uuid4()
    for method, path in [("GET", "/chats"), ("POST", "/chats"), ("GET", f"/chats/{chat_id}"),
                         ("GET", f"/chats/{chat_id}/messages"), ("GET", f"/chats/{chat_id}/context")]:
        assert_problem(await client.request(method, path), 401)
