"""Chat invitations by email (issue #18): no endpoint tells whether an email is registered.

Adding a member by email records a pending invitation and answers 202 with the same body shape
whether or not an account holds the address; the invitee sees it in GET /me/invitations and
accepts (joins, with the chat row locked first like every membership change) or declines.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable
from typing import Any

import asyncpg
import msgspec
import pytest

from service.chats import logic as chats_logic
from service.config import Settings
from service.db.pool import create_pool
from service.jobs.registry import JOBS
from service.jobs.runner import run_job
from tests.chats.test_owners import connections, threaded_client
from tests.chats.util import group_of, new_chat
from tests.helpers import assert_problem, signup
from tests.race import started_and_blocked
from tests.security.test_sign_in_throttle import addresses


async def invite(client: Any, by: Any, chat_id: str, email: str, role: str = "member") -> Any:
    return await client.post(f"/chats/{chat_id}/members", headers=by.headers, json={"email": email, "role": role})


async def members(client: Any, who: Any, chat_id: str) -> dict[str, str]:
    response = await client.get(f"/chats/{chat_id}/members", headers=who.headers)
    assert response.status_code == 200, response.text
    return {m["user_id"]: m["role"] for m in response.json()["items"]}


async def my_invitations(client: Any, who: Any) -> list[dict[str, Any]]:
    response = await client.get("/me/invitations", headers=who.headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]  # type: ignore[no-any-return]


async def test_the_answer_is_the_same_whether_or_not_the_email_is_registered(client, conn):
    alice, bob = await signup(client), await signup(client)
    chat = (await group_of(client, alice))["id"]
    known = await invite(client, alice, chat, bob.email)
    unknown = await invite(client, alice, chat, "nobody-at-all@example.com")
    assert known.status_code == unknown.status_code == 202
    assert known.json().keys() == unknown.json().keys()
    for response, email in ((known, bob.email), (unknown, "nobody-at-all@example.com")):
        body = response.json()
        assert body["status"] == "pending" and body["email"] == email and body["chat_id"] == chat
    assert set(known.headers) == set(unknown.headers)
    # nobody joined yet: an invitation, not a membership
    assert await members(client, alice, chat) == {alice.id: "owner"}
    rows = await conn.fetch("SELECT email FROM chat_invitations WHERE chat_id = $1 ORDER BY email", uuid.UUID(chat))
    assert [r["email"] for r in rows] == sorted([bob.email, "nobody-at-all@example.com"])


async def test_invitee_lists_and_accepts_with_the_invited_role(client):
    alice, bob, carol = await signup(client, display_name="Alice"), await signup(client), await signup(client)
    chat = (await group_of(client, alice))["id"]
    sent = (await invite(client, alice, chat, bob.email.upper(), "admin")).json()
    assert sent["email"] == bob.email  # stored lower-cased, as users.email is
    listed = await my_invitations(client, bob)
    assert [(i["id"], i["chat_id"], i["role"], i["inviter_name"]) for i in listed] == [
        (sent["id"], chat, "admin", "Alice")]
    assert await my_invitations(client, carol) == []  # not carol's
    # another account cannot accept or decline it: 404, like an id that does not exist
    assert_problem(await client.post(f"/me/invitations/{sent['id']}/accept", headers=carol.headers), 404)
    assert_problem(await client.post(f"/me/invitations/{sent['id']}/decline", headers=carol.headers), 404)
    assert_problem(await client.post(f"/me/invitations/{uuid.uuid4()}/accept", headers=bob.headers), 404)
    response = await client.post(f"/me/invitations/{sent['id']}/accept", headers=bob.headers)
    assert response.status_code == 204, response.text
    assert await members(client, bob, chat) == {alice.id: "owner", bob.id: "admin"}
    assert await my_invitations(client, bob) == []
    # answered: a second accept is 404
    assert_problem(await client.post(f"/me/invitations/{sent['id']}/accept", headers=bob.headers), 404)


async def test_sending_again_refreshes_the_one_pending_invitation(client, conn):
    alice, bob = await signup(client), await signup(client)
    chat = (await group_of(client, alice))["id"]
    first = (await invite(client, alice, chat, bob.email)).json()
    second = (await invite(client, alice, chat, bob.email, "admin")).json()
    assert first["id"] == second["id"] and second["role"] == "admin"
    assert await conn.fetchval("SELECT count(*) FROM chat_invitations") == 1
    # already a member when accepting: the membership stays as it is
    await client.post(f"/chats/{chat}/members", headers=alice.headers, json={"user_id": bob.id})
    response = await client.post(f"/me/invitations/{first['id']}/accept", headers=bob.headers)
    assert response.status_code == 204, response.text
    assert await members(client, alice, chat) == {alice.id: "owner", bob.id: "member"}


async def test_decline_and_expiry(client, conn):
    alice, bob = await signup(client), await signup(client)
    chat = (await group_of(client, alice))["id"]
    declined = (await invite(client, alice, chat, bob.email)).json()
    response = await client.post(f"/me/invitations/{declined['id']}/decline", headers=bob.headers)
    assert response.status_code == 204, response.text
    assert_problem(await client.post(f"/me/invitations/{declined['id']}/accept", headers=bob.headers), 404)
    assert await members(client, alice, chat) == {alice.id: "owner"}
    # expired: not listed, cannot be accepted
    expired = (await invite(client, alice, chat, bob.email)).json()
    await conn.execute("UPDATE chat_invitations SET created_at = now() - interval '8 days', "
                       "expires_at = now() - interval '1 day' WHERE id = $1", uuid.UUID(expired["id"]))
    assert await my_invitations(client, bob) == []
    assert_problem(await client.post(f"/me/invitations/{expired['id']}/accept", headers=bob.headers), 404)
    assert await members(client, alice, chat) == {alice.id: "owner"}


async def test_an_invitation_to_an_email_registered_later_is_matched(client):
    alice = await signup(client)
    chat = (await group_of(client, alice))["id"]
    sent = (await invite(client, alice, chat, "Later.Comer@Example.com")).json()
    later = await signup(client, email="later.comer@example.com")
    assert [i["id"] for i in await my_invitations(client, later)] == [sent["id"]]
    assert (await client.post(f"/me/invitations/{sent['id']}/accept", headers=later.headers)).status_code == 204
    assert await members(client, alice, chat) == {alice.id: "owner", later.id: "member"}


async def test_an_invitation_whose_sender_left_cannot_be_accepted(client):
    """Decision (README): an invitation speaks for its sender; once they are no longer an owner or
    admin of the chat, accepting is a 409 (the invitation stays pending until it expires)."""
    alice, bob, carol = await signup(client), await signup(client), await signup(client)
    chat = (await group_of(client, alice, bob))["id"]
    await client.patch(f"/chats/{chat}/members/{bob.id}", headers=alice.headers, json={"role": "admin"})
    sent = (await invite(client, bob, chat, carol.email)).json()
    assert (await client.delete(f"/chats/{chat}/members/{bob.id}", headers=bob.headers)).status_code == 204
    assert_problem(await client.post(f"/me/invitations/{sent['id']}/accept", headers=carol.headers), 409)
    assert await members(client, alice, chat) == {alice.id: "owner"}
    assert [i["id"] for i in await my_invitations(client, carol)] == [sent["id"]]


async def test_who_may_invite(client, conn):
    alice, bob = await signup(client), await signup(client)
    chat = (await group_of(client, alice, bob))["id"]
    solo = (await new_chat(client, alice))["id"]
    assert_problem(await invite(client, bob, chat, "x@example.com"), 403)  # a plain member
    assert_problem(await invite(client, alice, solo, "x@example.com"), 422)  # a solo chat
    stranger = await signup(client)
    assert_problem(await invite(client, stranger, chat, "x@example.com"), 404)  # not a member
    assert await conn.fetchval("SELECT count(*) FROM chat_invitations") == 0


async def _race(client: Any, http: Any, db_url: str, conn: asyncpg.Connection, *, other: str) -> None:
    """Accept blocked behind the owner's open change (``other``) of the chat, then released."""
    owner, admin, invitee = await signup(client), await signup(client), await signup(client)
    chat = (await group_of(client, owner, admin))["id"]
    await client.patch(f"/chats/{chat}/members/{admin.id}", headers=owner.headers, json={"role": "admin"})
    sent = (await invite(client, admin, chat, invitee.email)).json()

    def accept() -> Awaitable[Any]:
        return asyncio.to_thread(http.post, f"/me/invitations/{sent['id']}/accept", headers=invitee.headers)

    async with connections(db_url, 1) as (b,):
        tx = b.transaction()
        await tx.start()
        if other == "delete chat":
            await chats_logic.delete_chat(b, uuid.UUID(owner.id), uuid.UUID(chat))
        else:  # the owner removes the admin who sent the invitation
            await chats_logic.remove_member(b, uuid.UUID(owner.id), uuid.UUID(chat), uuid.UUID(admin.id))
        task = await started_and_blocked(conn, accept(), exclude=(b.get_server_pid(),))
        await tx.commit()
    response = await task
    if other == "delete chat":
        assert_problem(response, 404)
        assert await conn.fetchval("SELECT count(*) FROM chat_members WHERE chat_id = $1", uuid.UUID(chat)) == 0
        assert await conn.fetchval("SELECT count(*) FROM chat_invitations WHERE chat_id = $1", uuid.UUID(chat)) == 0
    else:
        assert_problem(response, 409)
        assert await members(client, owner, chat) == {owner.id: "owner"}


@pytest.mark.parametrize("other", ["delete chat", "remove the inviter"])
async def test_accept_racing_a_change_of_the_chat_waits_for_it(client, db_url, conn, settings, other):
    with threaded_client(settings) as http:
        await _race(client, http, db_url, conn, other=other)


async def test_accept_first_then_the_chat_is_deleted(client, db_url, conn, settings):
    """The other order: accept holds the chat row; the deletion waits and then removes the new member too."""
    owner, invitee = await signup(client), await signup(client)
    chat = (await group_of(client, owner))["id"]
    sent = (await invite(client, owner, chat, invitee.email)).json()
    with threaded_client(settings) as http:
        async with connections(db_url, 1) as (b,):
            tx = b.transaction()
            await tx.start()
            await chats_logic.accept_invitation(b, uuid.UUID(invitee.id), uuid.UUID(sent["id"]))
            task = await started_and_blocked(
                conn, asyncio.to_thread(http.delete, f"/chats/{chat}", headers=owner.headers),
                exclude=(b.get_server_pid(),))
            await tx.commit()
        response = await task
    assert response.status_code == 204, response.text
    assert await conn.fetchval("SELECT count(*) FROM chat_members WHERE chat_id = $1", uuid.UUID(chat)) == 0


@pytest.fixture
async def pool(settings: Settings) -> AsyncIterator[asyncpg.Pool]:
    p = await create_pool(settings, settings.database_url or "")
    try:
        yield p
    finally:
        await p.close()


async def test_retention_purges_answered_and_expired_invitations(client, conn, pool, settings):
    alice = await signup(client)
    chat = (await group_of(client, alice))["id"]
    ids = {}
    for name in ("pending", "expired-recently", "expired-long-ago", "declined-long-ago", "accepted-recently"):
        ids[name] = uuid.UUID((await invite(client, alice, chat, f"{name}@example.com")).json()["id"])
    shift = {"expired-recently": ("-20 days", "-10 days", None, "pending"),
             "expired-long-ago": ("-50 days", "-40 days", None, "pending"),
             "declined-long-ago": ("-50 days", "-40 days", "-45 days", "declined"),
             "accepted-recently": ("-5 days", "+2 days", "-1 day", "accepted")}
    for name, (created, expires, answered, status) in shift.items():
        await conn.execute("UPDATE chat_invitations SET created_at = now() + $2::text::interval, "
                           "expires_at = now() + $3::text::interval, "
                           "answered_at = now() + $4::text::interval, status = $5 WHERE id = $1",
                           ids[name], created, expires, answered, status)
    outcome = await run_job(pool, msgspec.structs.replace(settings, jobs_batch_size=1), JOBS["chat_invitations"])
    assert outcome.purged == 2
    left = {r["id"] for r in await conn.fetch("SELECT id FROM chat_invitations")}
    assert left == {ids["pending"], ids["expired-recently"], ids["accepted-recently"]}


async def test_registration_is_limited_per_address(settings):
    tight = msgspec.structs.replace(settings, register_limit_per_address=2)
    async with addresses(tight) as at:
        prober, other = at("198.51.100.7"), at("198.51.100.8")
        for i in range(2):  # a new email and a taken one count alike
            response = await prober.post("/auth/register", json={"email": f"probe{i}@example.com",
                                                                 "password": "correct horse battery"})
            assert response.status_code == 201, response.text
        body = assert_problem(await prober.post("/auth/register", json={"email": "probe0@example.com",
                                                                        "password": "correct horse battery"}), 429)
        assert body["retry_after"] >= 1
        # another address is not affected
        response = await other.post("/auth/register", json={"email": "other@example.com",
                                                            "password": "correct horse battery"})
        assert response.status_code == 201, response.text
