"""Members and roles: who may add, promote, hand over, remove and leave."""

from __future__ import annotations

import uuid

import asyncpg

from tests.chats.util import group_of, new_chat, snapshot
from tests.helpers import assert_problem, signup


async def members_of(client, who, chat_id):
    response = await client.get(f"/chats/{chat_id}/members", headers=who.headers)
    assert response.status_code == 200, response.text
    return {m["user_id"]: m["role"] for m in response.json()["items"]}


async def test_owner_adds_by_user_id_and_invites_by_email(client):
    alice, bob, carol = await signup(client), await signup(client), await signup(client, display_name="Carol")
    chat = await group_of(client, alice)
    response = await client.post(f"/chats/{chat['id']}/members", headers=alice.headers, json={"user_id": bob.id})
    assert response.status_code == 201 and response.json()["role"] == "member"
    response = await client.post(f"/chats/{chat['id']}/members", headers=alice.headers,
                                 json={"email": carol.email.upper(), "role": "admin"})
    assert response.status_code == 202 and response.json()["status"] == "pending"
    # by email: an invitation, not yet a member; carol accepts it (matched by the lower-cased email)
    assert await members_of(client, bob, chat["id"]) == {alice.id: "owner", bob.id: "member"}
    invitation = response.json()["id"]
    accepted = await client.post(f"/me/invitations/{invitation}/accept", headers=carol.headers)
    assert accepted.status_code == 204, accepted.text
    assert await members_of(client, bob, chat["id"]) == {alice.id: "owner", bob.id: "member", carol.id: "admin"}


async def test_add_member_rules(client, conn):
    alice, bob, carol, dave = [await signup(client) for _ in range(4)]
    group = await group_of(client, alice, bob)
    solo = await new_chat(client, alice)
    before = await snapshot(conn)
    url = f"/chats/{group['id']}/members"
    # a plain member may not add
    assert_problem(await client.post(url, headers=bob.headers, json={"user_id": carol.id}), 403)
    # solo chats take no members
    assert_problem(await client.post(f"/chats/{solo['id']}/members", headers=alice.headers,
                                     json={"user_id": carol.id}), 422)
    # unknown user by id: 422 (ids are learned from shared chats; by email see test_invitations.py)
    assert_problem(await client.post(url, headers=alice.headers, json={"user_id": str(uuid.uuid4())}), 422)
    # a member or a solo chat cannot invite by email either
    assert_problem(await client.post(url, headers=bob.headers, json={"email": "nobody@example.com"}), 403)
    assert_problem(await client.post(f"/chats/{solo['id']}/members", headers=alice.headers,
                                     json={"email": "nobody@example.com"}), 422)
    # already a member
    assert_problem(await client.post(url, headers=alice.headers, json={"user_id": bob.id}), 409)
    # shape: exactly one of user_id/email, roles admin|member only
    for bad in [{}, {"user_id": carol.id, "email": carol.email}, {"user_id": carol.id, "role": "owner"},
                {"user_id": carol.id, "role": "superuser"}, {"user_id": "nope"}, {"user_id": carol.id, "x": 1}]:
        assert_problem(await client.post(url, headers=alice.headers, json=bad), 400)
    assert await snapshot(conn) == before
    # an admin may add
    await client.patch(f"/chats/{group['id']}/members/{bob.id}", headers=alice.headers, json={"role": "admin"})
    assert (await client.post(url, headers=bob.headers, json={"user_id": dave.id})).status_code == 201


async def test_only_the_owner_changes_roles(client, conn):
    alice, bob, carol = [await signup(client) for _ in range(3)]
    chat = await group_of(client, alice, bob, carol)
    base = f"/chats/{chat['id']}/members"
    response = await client.patch(f"{base}/{bob.id}", headers=alice.headers, json={"role": "admin"})
    assert response.status_code == 200 and response.json()["role"] == "admin"
    before = await snapshot(conn)
    # an admin may not change roles, nor a member
    assert_problem(await client.patch(f"{base}/{carol.id}", headers=bob.headers, json={"role": "admin"}), 403)
    assert_problem(await client.patch(f"{base}/{bob.id}", headers=carol.headers, json={"role": "member"}), 403)
    # the owner cannot demote themself, unknown members are 404, unknown roles 400
    assert_problem(await client.patch(f"{base}/{alice.id}", headers=alice.headers, json={"role": "member"}), 409)
    assert_problem(await client.patch(f"{base}/{uuid.uuid4()}", headers=alice.headers, json={"role": "admin"}), 404)
    assert_problem(await client.patch(f"{base}/{carol.id}", headers=alice.headers, json={"role": "boss"}), 400)
    assert await snapshot(conn) == before
    assert (await client.patch(f"{base}/{bob.id}", headers=alice.headers,
                               json={"role": "member"})).json()["role"] == "member"


async def test_handing_ownership_over_swaps_roles_and_owner(client, conn):
    alice, bob = await signup(client), await signup(client)
    chat = await group_of(client, alice, bob)
    response = await client.patch(f"/chats/{chat['id']}/members/{bob.id}", headers=alice.headers,
                                  json={"role": "owner"})
    assert response.status_code == 200 and response.json()["role"] == "owner"
    assert await members_of(client, alice, chat["id"]) == {alice.id: "admin", bob.id: "owner"}
    owner = await conn.fetchval("SELECT user_id::text FROM chat_members WHERE chat_id = $1 AND role = 'owner'",
                                uuid.UUID(chat["id"]))
    assert owner == bob.id
    # alice, now an admin, can neither delete the chat nor change roles; bob can
    assert_problem(await client.delete(f"/chats/{chat['id']}", headers=alice.headers), 403)
    assert_problem(await client.patch(f"/chats/{chat['id']}/members/{bob.id}", headers=alice.headers,
                                      json={"role": "owner"}), 403)
    # and alice may now leave
    assert (await client.delete(f"/chats/{chat['id']}/members/{alice.id}", headers=alice.headers)).status_code == 204
    assert await members_of(client, bob, chat["id"]) == {bob.id: "owner"}


async def test_a_chat_never_has_two_owners_in_ddl(client, conn):
    alice, bob = await signup(client), await signup(client)
    chat = await group_of(client, alice, bob)
    try:
        await conn.execute("UPDATE chat_members SET role = 'owner' WHERE chat_id = $1 AND user_id = $2",
                           uuid.UUID(chat["id"]), uuid.UUID(bob.id))
    except asyncpg.ExclusionViolationError as exc:
        assert exc.constraint_name == "chat_members_chat_id_owner_excl"
    else:
        raise AssertionError("a second owner was accepted")


async def test_remove_and_leave_rules(client, conn):
    alice, bob, carol, dave = [await signup(client) for _ in range(4)]
    chat = await group_of(client, alice, bob, carol, dave)
    base = f"/chats/{chat['id']}/members"
    await client.patch(f"{base}/{bob.id}", headers=alice.headers, json={"role": "admin"})
    before = await snapshot(conn)
    # a plain member removes nobody else; nobody removes the owner; the owner cannot leave
    assert_problem(await client.delete(f"{base}/{dave.id}", headers=carol.headers), 403)
    assert_problem(await client.delete(f"{base}/{alice.id}", headers=bob.headers), 403)
    body = assert_problem(await client.delete(f"{base}/{alice.id}", headers=alice.headers), 409)
    assert "owner" in body["detail"]
    assert_problem(await client.delete(f"{base}/{uuid.uuid4()}", headers=alice.headers), 404)
    assert await snapshot(conn) == before
    # an admin removes a member, a member leaves, the owner removes an admin
    assert (await client.delete(f"{base}/{dave.id}", headers=bob.headers)).status_code == 204
    assert (await client.delete(f"{base}/{carol.id}", headers=carol.headers)).status_code == 204
    assert (await client.delete(f"{base}/{bob.id}", headers=alice.headers)).status_code == 204
    assert await members_of(client, alice, chat["id"]) == {alice.id: "owner"}
    # a removed member sees the chat as missing
    assert_problem(await client.get(f"/chats/{chat['id']}", headers=carol.headers), 404)
    assert_problem(await client.delete(f"{base}/{carol.id}", headers=carol.headers), 404)


async def test_solo_owner_cannot_leave(client):
    alice = await signup(client)
    chat = await new_chat(client, alice)
    assert_problem(await client.delete(f"/chats/{chat['id']}/members/{alice.id}", headers=alice.headers), 409)


async def test_members_list_pages(client):
    owner = await signup(client)
    others = [await signup(client) for _ in range(4)]
    chat = await group_of(client, owner, *others)
    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"before": cursor} if cursor else {})}
        body = (await client.get(f"/chats/{chat['id']}/members", headers=owner.headers, params=params)).json()
        seen += [m["user_id"] for m in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted([owner.id, *[o.id for o in others]]) and len(seen) == 5
    assert_problem(await client.get(f"/chats/{chat['id']}/members", headers=owner.headers,
                                    params={"before": "bad"}), 400)
