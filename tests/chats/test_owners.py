"""Issue #12 items 1 and 2: a group outlives its owner's account; exactly one owner, a member, at every commit.

Races are interleaved by hand (tests/race.py): connection B runs one operation of the service
(service/chats/logic.py, service/accounts/logic.py) inside an open transaction, so it holds the
chat's lock; A's operation is started and *observed* waiting on that lock; B commits; A finishes.
Every ordered pair of {transfer, leave, remove, demote, delete the member's account, delete the
owner's account, add a member, delete the chat, post a message} runs this way, REPS times, and
after each the database must hold exactly one owner per chat, a member.  A few run over HTTP
through the real app as well.
"""

from __future__ import annotations

import asyncio
import itertools
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from typing import Any

import asyncpg
import pytest
from litestar.testing import TestClient

from service.accounts import logic as accounts_logic
from service.app import create_app
from service.chats import logic as chats_logic
from service.chats import repo as chats_repo
from service.db.pool import init_connection
from service.errors import DomainError, from_postgres
from tests.chats.util import group_of, new_chat, say
from tests.helpers import assert_problem, purge_deleted_accounts, signup
from tests.race import started_and_blocked

REPS = 3  # each ordered pair of operations, interleaved the same way, this many times
MESSAGES = 120

_ids = itertools.count()

OWNER_INVARIANT_BROKEN = """
SELECT c.id, c.kind,
       count(m.user_id) FILTER (WHERE m.role = 'owner') AS owners,
       count(m.user_id) AS members
FROM chats AS c
LEFT JOIN chat_members AS m ON m.chat_id = c.id
GROUP BY c.id, c.kind
HAVING count(m.user_id) FILTER (WHERE m.role = 'owner') <> 1
    OR (c.kind = 'solo' AND count(m.user_id) <> 1)
"""


async def assert_one_owner_everywhere(conn: asyncpg.Connection) -> None:
    assert [tuple(r) for r in await conn.fetch(OWNER_INVARIANT_BROKEN)] == []


@asynccontextmanager
async def connections(db_url: str, n: int) -> AsyncIterator[list[asyncpg.Connection]]:
    conns = [await asyncpg.connect(db_url) for _ in range(n)]
    try:
        for c in conns:
            await init_connection(c)
        yield conns
    finally:
        for c in conns:
            await c.close()


@contextmanager
def threaded_client(settings: Any) -> Any:
    """A second app (own pool) behind a synchronous test client, for requests run with
    ``asyncio.to_thread``: the async test client runs the app through a blocking portal, which
    would block this event loop (and so the connection holding the lock) until it answers."""
    with TestClient(app=create_app(settings)) as sync_client:
        yield sync_client


# ---- owner deletion ---------------------------------------------------------------------------


async def _add(client: Any, by: Any, chat_id: str, who: Any, role: str = "member") -> None:
    response = await client.post(f"/chats/{chat_id}/members", headers=by.headers,
                                 json={"user_id": who.id, "role": role})
    assert response.status_code == 201, response.text


async def test_deleting_the_owner_hands_the_group_to_the_longest_standing_admin(client, conn):
    owner, early, admin, late_admin, late = [await signup(client) for _ in range(5)]
    group = await group_of(client, owner)
    gid = group["id"]
    await _add(client, owner, gid, early)  # joined first, a plain member
    await _add(client, owner, gid, admin, "admin")  # joined after `early`: still the successor (an admin)
    await _add(client, owner, gid, late_admin, "admin")
    await _add(client, owner, gid, late)
    # no admin here: the longest-standing member takes over
    plain = await group_of(client, owner)
    await _add(client, owner, plain["id"], late)
    await _add(client, owner, plain["id"], early)
    lone = await group_of(client, owner)  # nobody else: goes with the account
    solo = await new_chat(client, owner)
    await say(client, owner, solo["id"], "solo note")
    await say(client, owner, lone["id"], "alone")
    speakers = [owner, early, admin, late_admin, late]
    for i in range(MESSAGES):
        await say(client, speakers[i % len(speakers)], gid, f"message {i}")

    assert (await client.delete("/me", headers=owner.headers)).status_code == 204
    assert await purge_deleted_accounts(conn) == 1  # the row goes with the job; its messages' sender_id NULL

    for member in (early, admin, late_admin, late):
        response = await client.get(f"/chats/{gid}", headers=member.headers)
        assert response.status_code == 200, response.text
        assert response.json()["owner_id"] == admin.id and response.json()["member_count"] == 4
        seen, cursor = [], None
        while True:
            page = (await client.get(f"/chats/{gid}/messages", headers=member.headers,
                                     params={"limit": 100, **({"before": cursor} if cursor else {})})).json()
            seen = page["items"] + seen
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert [m["content"] for m in seen] == [f"message {i}" for i in range(MESSAGES)]
        assert all(m["sender_id"] is None for i, m in enumerate(seen) if i % len(speakers) == 0)
        assert all(m["sender_id"] == speakers[i % len(speakers)].id
                   for i, m in enumerate(seen) if i % len(speakers) != 0)
    roles = {r["user_id"]: r["role"] for r in
             (await client.get(f"/chats/{gid}/members", headers=admin.headers)).json()["items"]}
    assert roles == {early.id: "member", admin.id: "owner", late_admin.id: "admin", late.id: "member"}
    assert (await client.get(f"/chats/{plain['id']}", headers=late.headers)).json()["owner_id"] == late.id

    assert await conn.fetchval("SELECT count(*) FROM chats WHERE id = ANY($1::uuid[])",
                               [uuid.UUID(lone["id"]), uuid.UUID(solo["id"])]) == 0
    assert await conn.fetchval("SELECT count(*) FROM messages WHERE chat_id = $1", uuid.UUID(gid)) == MESSAGES
    audit = await conn.fetch("SELECT user_id::text, details FROM audit_log WHERE event = 'chat_owner_handover' "
                             "ORDER BY details->>'chat_id'")
    assert sorted((r["user_id"], r["details"]["chat_id"], r["details"]["previous_role"])
                  for r in audit) == sorted([(admin.id, gid, "admin"), (late.id, plain["id"], "member")])
    assert all(r["details"]["from_user_id"] == owner.id for r in audit)
    # the new owner finds it in their own security log
    events = (await client.get("/me/audit", headers=admin.headers)).json()["items"]
    assert any(e["event"] == "chat_owner_handover" for e in events)
    await assert_one_owner_everywhere(conn)


async def test_hand_over_needs_the_callers_transaction(conn):
    with pytest.raises(RuntimeError):
        await chats_logic.hand_over_owned_chats(conn, uuid.uuid4())


# ---- the database refuses a commit without exactly one owner ------------------------------------


async def _user(conn: asyncpg.Connection) -> uuid.UUID:
    return await conn.fetchval(  # type: ignore[no-any-return]
        "INSERT INTO users (email, password_hash) VALUES ($1, '$argon2id$not-a-real-hash') RETURNING id",
        f"owners{next(_ids)}-{uuid.uuid4().hex[:8]}@example.com")


async def _group(conn: asyncpg.Connection, owner: uuid.UUID, *others: tuple[uuid.UUID, str]) -> uuid.UUID:
    chat = await chats_repo.create_chat(conn, owner, "group", None, [])
    for n, (user, role) in enumerate(others):
        await conn.execute("INSERT INTO chat_members (chat_id, chat_kind, user_id, role, created_at) "
                           "VALUES ($1, 'group', $2, $3, now() + make_interval(secs => $4))",
                           chat.id, user, role, n + 1)
    return chat.id


@pytest.mark.parametrize("statements", [
    pytest.param(["UPDATE chat_members SET role = 'admin' WHERE chat_id = $1 AND role = 'owner'"], id="demote-owner"),
    pytest.param(["DELETE FROM chat_members WHERE chat_id = $1 AND role = 'owner'"], id="delete-owner-row"),
    pytest.param(["SET CONSTRAINTS chat_members_chat_id_owner_excl DEFERRED",
                  "UPDATE chat_members SET role = 'owner' WHERE chat_id = $1 AND role = 'member'"], id="two-owners"),
    pytest.param(["DELETE FROM users WHERE id = (SELECT user_id FROM chat_members "
                  "WHERE chat_id = $1 AND role = 'owner')"], id="delete-owner-account-without-hand-over"),
])
async def test_a_commit_without_exactly_one_owner_fails(conn, statements):
    owner, member = await _user(conn), await _user(conn)
    chat = await _group(conn, owner, (member, "member"))
    await conn.execute("BEGIN")
    for statement in statements:
        if "$1" in statement:
            await conn.execute(statement, chat)
        else:
            await conn.execute(statement)
    with pytest.raises(asyncpg.IntegrityConstraintViolationError):
        await conn.execute("COMMIT")  # each statement ran; the check is at COMMIT
    assert await conn.fetchval("SELECT user_id FROM chat_members WHERE chat_id = $1 AND role = 'owner'",
                               chat) == owner


async def test_a_chat_without_members_cannot_be_committed(conn):
    await conn.execute("BEGIN")
    await conn.execute("INSERT INTO chats (kind) VALUES ('group')")
    with pytest.raises(asyncpg.IntegrityConstraintViolationError):
        await conn.execute("COMMIT")


# ---- interleaved races of every pair of owner/membership changes -------------------------------


@dataclass
class World:
    owner: uuid.UUID
    x: uuid.UUID  # the member every operation is about
    y: uuid.UUID  # an earlier member (successor when the owner's account goes, unless x is an admin)
    chat: uuid.UUID
    z: uuid.UUID  # not a member: the one add_member adds


Op = Callable[[asyncpg.Connection, World], Awaitable[Any]]

OPS: dict[str, Op] = {
    "transfer": lambda c, w: chats_logic.change_role(c, w.owner, w.chat, w.x, "owner"),
    "leave": lambda c, w: chats_logic.remove_member(c, w.x, w.chat, w.x),
    "remove": lambda c, w: chats_logic.remove_member(c, w.owner, w.chat, w.x),
    "demote": lambda c, w: chats_logic.change_role(c, w.owner, w.chat, w.x, "member"),
    "delete_member_account": lambda c, w: accounts_logic.delete_account(c, w.x, None),
    "delete_owner_account": lambda c, w: accounts_logic.delete_account(c, w.owner, None),
    # not in the list, raced all the same: they take the same chat lock (or the chat row)
    "add_member": lambda c, w: chats_logic.add_member(c, w.owner, w.chat, w.z, None, "admin"),
    "delete_chat": lambda c, w: chats_logic.delete_chat(c, w.owner, w.chat),
    "post_as_owner": lambda c, w: chats_repo.post_message(c, w.owner, w.chat, "hi", [], "none", None),
}
PAIRS = [(a, b) for a in OPS for b in OPS if a != b]


async def _outcome(awaitable: Awaitable[Any]) -> str:
    try:
        await awaitable
    except DomainError as refused:
        return f"{refused.status}"
    except asyncpg.PostgresError as error:  # what the app's error handler makes of it
        mapped = from_postgres(error)
        if mapped is None:
            raise
        return f"{mapped.status}"
    return "ok"


async def test_every_pair_of_owner_changes_interleaved_keeps_one_owner(db_url, conn):
    """B runs `first` and holds its transaction open; A's `second` is observed waiting; B commits."""
    outcomes: dict[tuple[str, str], set[tuple[str, str]]] = {}
    async with connections(db_url, 2) as (a, b):
        for _ in range(REPS):
            for first, second in PAIRS:
                owner, y, x = await _user(conn), await _user(conn), await _user(conn)
                w = World(owner, x, y, await _group(conn, owner, (y, "member"), (x, "admin")), await _user(conn))
                tx = b.transaction()
                await tx.start()
                try:
                    b_result = await _outcome(OPS[first](b, w))
                    task = await started_and_blocked(conn, _outcome(OPS[second](a, w)), exclude=(b.get_server_pid(),))
                finally:
                    await tx.commit()
                a_result = await task
                outcomes.setdefault((first, second), set()).add((b_result, a_result))
                await assert_one_owner_everywhere(conn)
    # the interleaving is the same every time, so is the outcome
    assert all(len(seen) == 1 for seen in outcomes.values()), outcomes
    # spot checks of what the second operation answers once it sees the first one's commit
    assert outcomes[("transfer", "leave")] == {("ok", "409")}  # x is the owner now: cannot leave
    assert outcomes[("leave", "transfer")] == {("ok", "404")}  # x is gone: transfer refused, nothing committed
    assert outcomes[("delete_member_account", "transfer")] == {("ok", "404")}
    assert outcomes[("transfer", "delete_member_account")] == {("ok", "ok")}  # x's account goes, the group to y
    assert outcomes[("delete_owner_account", "transfer")] == {("ok", "404")}
    assert outcomes[("delete_owner_account", "add_member")] == {("ok", "404")}
    assert outcomes[("delete_chat", "leave")] == {("ok", "404")}
    assert outcomes[("delete_owner_account", "delete_chat")] == {("ok", "404")}  # no longer a member
    assert outcomes[("delete_owner_account", "leave")] == {("ok", "409")}  # x, the admin, owns it now


async def test_a_refused_transfer_commits_nothing(db_url, conn):
    owner, x, y = await _user(conn), await _user(conn), await _user(conn)
    chat = await _group(conn, owner, (y, "member"), (x, "member"))
    async with connections(db_url, 2) as (a, b):
        tx = b.transaction()
        await tx.start()
        await chats_logic.remove_member(b, x, chat, x)  # x leaves, not yet committed
        task = await started_and_blocked(conn, _outcome(chats_logic.change_role(a, owner, chat, x, "owner")),
                                         exclude=(b.get_server_pid(),))
        await tx.commit()
        assert await task == "404"
    rows = {r["user_id"]: r["role"] for r in await conn.fetch("SELECT user_id, role FROM chat_members "
                                                             "WHERE chat_id = $1", chat)}
    assert rows == {owner: "owner", y: "member"}


# ---- the same races over HTTP, through the real app ------------------------------------------------


async def test_http_transfer_racing_the_new_owner_leaving(client, db_url, conn, settings):
    """The issue's reproduction: 'owner hands the chat to X' against 'X leaves', both orders."""
    with threaded_client(settings) as http:
        for leave_first in (True, False):
            await _transfer_and_leave(client, http, db_url, conn, leave_first=leave_first)


async def _transfer_and_leave(client: Any, http: Any, db_url: str, conn: asyncpg.Connection, *,
                              leave_first: bool) -> None:
    if True:
        owner, x, y = await signup(client), await signup(client), await signup(client)
        chat = (await group_of(client, owner, y, x))["id"]
        def transfer(chat: str = chat, owner: Any = owner, x: Any = x) -> Awaitable[Any]:
            return asyncio.to_thread(http.patch, f"/chats/{chat}/members/{x.id}", headers=owner.headers,
                                     json={"role": "owner"})

        def leave(chat: str = chat, x: Any = x) -> Awaitable[Any]:
            return asyncio.to_thread(http.delete, f"/chats/{chat}/members/{x.id}", headers=x.headers)
        async with connections(db_url, 1) as (b,):
            tx = b.transaction()
            await tx.start()
            if leave_first:
                await chats_logic.remove_member(b, uuid.UUID(x.id), uuid.UUID(chat), uuid.UUID(x.id))
                task = await started_and_blocked(conn, transfer(), exclude=(b.get_server_pid(),))
            else:
                await chats_logic.change_role(b, uuid.UUID(owner.id), uuid.UUID(chat), uuid.UUID(x.id), "owner")
                task = await started_and_blocked(conn, leave(), exclude=(b.get_server_pid(),))
            await tx.commit()
        response = await task
        members = {r["user_id"]: r["role"] for r in
                   (await client.get(f"/chats/{chat}/members", headers=y.headers)).json()["items"]}
        if leave_first:
            assert_problem(response, 404)  # not a 403 that committed half a transfer
            assert members == {owner.id: "owner", y.id: "member"}
        else:
            assert_problem(response, 409)
            assert members == {owner.id: "admin", x.id: "owner", y.id: "member"}
        await assert_one_owner_everywhere(conn)


async def test_http_account_deletion_racing_a_transfer_to_that_account(client, db_url, conn, settings):
    owner, x, y = await signup(client), await signup(client), await signup(client)
    chat = (await group_of(client, owner, y, x))["id"]
    async with connections(db_url, 1) as (b,):
        tx = b.transaction()
        await tx.start()
        await chats_logic.change_role(b, uuid.UUID(owner.id), uuid.UUID(chat), uuid.UUID(x.id), "owner")
        with threaded_client(settings) as http:
            task = await started_and_blocked(conn, asyncio.to_thread(http.delete, "/me", headers=x.headers),
                                             exclude=(b.get_server_pid(),))
            await tx.commit()
            response = await task
    assert response.status_code == 204, response.text
    got = (await client.get(f"/chats/{chat}", headers=owner.headers)).json()
    assert got["owner_id"] == owner.id and got["my_role"] == "owner"  # x's group went to the longest-standing admin
    await assert_one_owner_everywhere(conn)
