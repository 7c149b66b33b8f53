"""Issue #16: the split-bill ledger of a group chat (entries, shares, balances, settle-up, void).

Hand-worked examples are written out in the comments next to each expectation.  Races are
interleaved at an observed lock wait (tests/race.py), never by sleeping.
"""

from __future__ import annotations

import asyncio
import uuid
from decimal import Decimal
from typing import Any

import asyncpg
import pytest

from service.chats import logic as chats_logic
from service.chats.ledger import largest_remainder, settle
from service.chats.models import LedgerEntryCreate, LedgerShareIn
from service.errors import DomainError
from tests.chats.test_owners import connections
from tests.chats.util import group_of, new_chat, say, snapshot
from tests.helpers import Account, app_signin, assert_problem, purge_deleted_accounts, signup
from tests.race import started_and_blocked

D = Decimal
U = [uuid.UUID(int=i) for i in range(10)]  # U[1] < U[2] < ... as text and as uuid


# ---- the arithmetic (service/chats/ledger.py) ---------------------------------------------------


@pytest.mark.parametrize("amount,weights,expected", [
    # 10.00 / 3 = 3.333..: 333 cents each, 1 left over; remainders tie, so the smallest user id gets it
    ("10.00", [1, 1, 1], ["3.34", "3.33", "3.33"]),
    # 1000 cents by weights 1:2 -> quotas 333.33 and 666.67: floors 333 and 666, the cent goes to the
    # larger remainder (2/3 > 1/3), i.e. the second member
    ("10.00", [1, 2], ["3.33", "6.67"]),
    # 0.02 among 3: 0 each, 2 cents left, the two smallest user ids get one each
    ("0.02", [1, 1, 1], ["0.01", "0.01", "0.00"]),
    # 100.00 by 1:1:1:1 divides exactly
    ("100.00", [1, 1, 1, 1], ["25.00", "25.00", "25.00", "25.00"]),
    # 7.00 by 3:3:1 -> 300, 300, 100 exactly
    ("7.00", [3, 3, 1], ["3.00", "3.00", "1.00"]),
    # 0.05 by 1:1:1:1:1:1 (6 members): 0 each, 5 cents to the five smallest ids
    ("0.05", [1] * 6, ["0.01"] * 5 + ["0.00"]),
])
def test_largest_remainder_by_hand(amount, weights, expected):
    shares = largest_remainder(D(amount), list(zip(U[1:], weights, strict=False)))
    assert [str(s) for s in shares] == expected
    assert sum(shares) == D(amount)


def test_largest_remainder_is_deterministic_whatever_the_order():
    forward = dict(zip(U[1:4], largest_remainder(D("10.00"), [(U[1], 1), (U[2], 1), (U[3], 1)]), strict=True))
    backward = dict(zip([U[3], U[2], U[1]], largest_remainder(D("10.00"), [(U[3], 1), (U[2], 1), (U[1], 1)]),
                        strict=True))
    assert forward == backward == {U[1]: D("3.34"), U[2]: D("3.33"), U[3]: D("3.33")}


@pytest.mark.parametrize("nets,expected", [
    # A +60, B -15, C -45: C (largest debtor) pays A 45; then B pays A 15.  2 = n - 1 transfers.
    ([(U[1], "60"), (U[2], "-15"), (U[3], "-45")], [(U[3], U[1], "45.00"), (U[2], U[1], "15.00")]),
    # A +40, B +10, C -30, D -20: C pays A 30 (A +10 left); D (-20) pays the largest creditor: A and B
    # tie at +10, A has the smaller id: D pays A 10; D pays B 10.  3 = n - 1.
    ([(U[1], "40"), (U[2], "10"), (U[3], "-30"), (U[4], "-20")],
     [(U[3], U[1], "30.00"), (U[4], U[1], "10.00"), (U[4], U[2], "10.00")]),
    # two pairs that cancel exactly: 2 transfers for 4 people
    ([(U[1], "25"), (U[2], "-25"), (U[3], "10"), (U[4], "-10")], [(U[2], U[1], "25.00"), (U[4], U[3], "10.00")]),
    # everybody square: nothing to do
    ([(U[1], "0"), (U[2], "0")], []),
    # a deleted account (None) is owed money: it comes last among equals but is still paid
    ([(U[1], "-5"), (None, "5")], [(U[1], None, "5.00")]),
])
def test_settle_by_hand(nets, expected):
    transfers = settle([(who, D(net)) for who, net in nets])
    assert [(a, b, str(x)) for a, b, x in transfers] == expected
    assert len(transfers) <= max(len([n for n in nets if D(n[1]) != 0]) - 1, 0)


def test_settle_refuses_balances_that_do_not_add_up():
    with pytest.raises(ValueError):
        settle([(U[1], D("1.00"))])


# ---- through the API ------------------------------------------------------------------------------


async def trio(client) -> tuple[Account, Account, Account, dict[str, Any]]:
    a, b, c = await signup(client), await signup(client), await signup(client)
    chat = await group_of(client, a, b, c)
    return a, b, c, chat


async def add(client, who: Account, chat: dict[str, Any], **body: Any) -> dict[str, Any]:
    response = await client.post(f"/chats/{chat['id']}/ledger", headers=who.headers,
                                 json={"description": "Dinner", **body})
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def balances(client, who: Account, chat: dict[str, Any]) -> dict[str, Any]:
    response = await client.get(f"/chats/{chat['id']}/balances", headers=who.headers)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def nets(body: dict[str, Any]) -> dict[str | None, str]:
    return {m["user_id"]: m["net"] for m in body["members"]}


async def total_spend(client, who: Account, chat: dict[str, Any]) -> str:
    return (await client.get(f"/chats/{chat['id']}/context", headers=who.headers)).json()["total_spend"]


async def test_equal_split_among_every_member_by_default(client):
    a, b, c, chat = await trio(client)
    entry = await add(client, a, chat, amount="10.00")
    assert entry["kind"] == "expense" and entry["split_kind"] == "equal" and entry["payer_id"] == a.id
    assert entry["amount"] == "10.00" and entry["created_by"] == a.id and entry["voided_at"] is None
    ids = sorted([a.id, b.id, c.id])
    assert [s["user_id"] for s in entry["shares"]] == ids
    # 1000 cents / 3: the smallest user id gets the odd cent
    assert [s["amount"] for s in entry["shares"]] == ["3.34", "3.33", "3.33"]
    assert await total_spend(client, b, chat) == "10.00"
    listed = (await client.get(f"/chats/{chat['id']}/ledger", headers=c.headers)).json()
    assert listed["items"] == [entry] and listed["next_cursor"] is None
    one = await client.get(f"/chats/{chat['id']}/ledger/{entry['id']}", headers=b.headers)
    assert one.json() == entry


async def test_exact_and_shares_splits(client):
    a, b, c, chat = await trio(client)
    exact = await add(client, b, chat, amount="30.00", split_kind="exact", payer_id=a.id, spent_on="2026-11-30",
                      shares=[{"user_id": b.id, "amount": "12.50"}, {"user_id": c.id, "amount": "17.50"}])
    assert exact["payer_id"] == a.id and exact["created_by"] == b.id and exact["spent_on"] == "2026-11-30"
    assert {s["user_id"]: s["amount"] for s in exact["shares"]} == {b.id: "12.50", c.id: "17.50"}
    weighted = await add(client, c, chat, amount="10.00", split_kind="shares",
                         shares=[{"user_id": a.id, "weight": 1}, {"user_id": b.id, "weight": 2}])
    # 1000 cents 1:2 -> 333 / 666 + the cent to the larger remainder (b)
    assert {s["user_id"]: (s["weight"], s["amount"]) for s in weighted["shares"]} == {
        a.id: (1, "3.33"), b.id: (2, "6.67")}
    assert await total_spend(client, a, chat) == "40.00"


async def test_balances_and_minimal_transfers_by_hand(client):
    a, b, c, chat = await trio(client)
    # a pays 90.00 for all three (30 each); b pays 30.00 for b and c (15 each)
    await add(client, a, chat, amount="90.00")
    await add(client, b, chat, amount="30.00", split_kind="shares",
              shares=[{"user_id": b.id, "weight": 1}, {"user_id": c.id, "weight": 1}])
    body = await balances(client, c, chat)
    # a: paid 90, owes 30 -> +60; b: paid 30, owes 30 + 15 -> -15; c: owes 30 + 15 -> -45
    by_id = {m["user_id"]: m for m in body["members"]}
    assert by_id[a.id] | {} == {**by_id[a.id], "paid": "90.00", "owed": "30.00", "net": "60.00", "status": "member"}
    assert (by_id[b.id]["paid"], by_id[b.id]["owed"], by_id[b.id]["net"]) == ("30.00", "45.00", "-15.00")
    assert (by_id[c.id]["paid"], by_id[c.id]["owed"], by_id[c.id]["net"]) == ("0.00", "45.00", "-45.00")
    # largest debtor c pays largest creditor a 45; then b pays a 15: n - 1 = 2 transfers
    assert body["transfers"] == [{"from_user_id": c.id, "to_user_id": a.id, "amount": "45.00"},
                                 {"from_user_id": b.id, "to_user_id": a.id, "amount": "15.00"}]
    # c settles up with a: a's claim drops to 15, c is square
    response = await client.post(f"/chats/{chat['id']}/settlements", headers=c.headers,
                                 json={"to_user_id": a.id, "amount": "45.00"})
    assert response.status_code == 201, response.text
    settlement = response.json()
    assert settlement["kind"] == "settlement" and settlement["split_kind"] == "exact"
    assert settlement["payer_id"] == c.id and settlement["description"] == "Settle up"
    assert settlement["shares"] == [{"user_id": a.id, "weight": None, "amount": "45.00"}]
    body = await balances(client, b, chat)
    assert nets(body) == {a.id: "15.00", b.id: "-15.00", c.id: "0.00"}
    assert body["transfers"] == [{"from_user_id": b.id, "to_user_id": a.id, "amount": "15.00"}]
    # a settlement is not spend
    assert await total_spend(client, a, chat) == "120.00"
    # b pays a back, recorded by a on b's behalf: everyone is square
    response = await client.post(f"/chats/{chat['id']}/settlements", headers=a.headers,
                                 json={"from_user_id": b.id, "to_user_id": a.id, "amount": "15.00"})
    assert response.status_code == 201, response.text
    body = await balances(client, a, chat)
    assert set(nets(body).values()) == {"0.00"} and body["transfers"] == []


async def test_four_members_need_at_most_three_transfers(client):
    a, b, c, d = [await signup(client) for _ in range(4)]
    chat = await group_of(client, a, b, c, d)
    # a pays 80 for all (20 each); b pays 40 for c and d (20 each)
    await add(client, a, chat, amount="80.00")
    await add(client, b, chat, amount="40.00", split_kind="exact",
              shares=[{"user_id": c.id, "amount": "20.00"}, {"user_id": d.id, "amount": "20.00"}])
    body = await balances(client, a, chat)
    # a +60, b +40 - 20 = +20, c -40, d -40
    assert nets(body) == {a.id: "60.00", b.id: "20.00", c.id: "-40.00", d.id: "-40.00"}
    first, second = sorted([c.id, d.id])
    # debtors tie at -40: the smaller id pays a (largest creditor) 40; then a and b tie at +20 and
    # the other debtor pays them 20 each, the smaller id first: 3 = n - 1 transfers
    low, high = sorted([a.id, b.id])
    assert body["transfers"] == [
        {"from_user_id": first, "to_user_id": a.id, "amount": "40.00"},
        {"from_user_id": second, "to_user_id": low, "amount": "20.00"},
        {"from_user_id": second, "to_user_id": high, "amount": "20.00"},
    ]


async def test_void_by_author_or_admin_keeps_the_entry_visible(client):
    a, b, c, chat = await trio(client)
    entry = await add(client, b, chat, amount="30.00")
    path = f"/chats/{chat['id']}/ledger/{entry['id']}/void"
    assert_problem(await client.post(path, headers=c.headers), 403)  # neither author nor admin
    voided = await client.post(path, headers=b.headers)  # the author
    assert voided.status_code == 200, voided.text
    assert voided.json()["voided_by"] == b.id and voided.json()["voided_at"] is not None
    assert voided.json()["shares"] == entry["shares"]
    assert_problem(await client.post(path, headers=a.headers), 409)  # already voided
    assert await total_spend(client, a, chat) == "0.00"
    assert set(nets(await balances(client, a, chat)).values()) == {"0.00"}
    listed = (await client.get(f"/chats/{chat['id']}/ledger", headers=c.headers)).json()["items"]
    assert [e["id"] for e in listed] == [entry["id"]] and listed[0]["voided_at"] is not None
    # the owner voids another member's entry; an admin too
    second = await add(client, c, chat, amount="9.00")
    assert (await client.post(f"/chats/{chat['id']}/ledger/{second['id']}/void", headers=a.headers)).status_code == 200
    third = await add(client, c, chat, amount="6.00")
    promoted = await client.patch(f"/chats/{chat['id']}/members/{b.id}", headers=a.headers, json={"role": "admin"})
    assert promoted.status_code == 200
    assert (await client.post(f"/chats/{chat['id']}/ledger/{third['id']}/void", headers=b.headers)).status_code == 200
    assert_problem(await client.post(f"/chats/{chat['id']}/ledger/999999/void", headers=a.headers), 404)
    assert await total_spend(client, a, chat) == "0.00"


async def test_deprecated_spend_records_an_equal_entry_paid_by_the_caller(client):
    a, b, c, chat = await trio(client)
    response = await client.post(f"/chats/{chat['id']}/context/spend", headers=b.headers, json={"amount": "12.00"})
    assert response.status_code == 200 and response.json()["total_spend"] == "12.00"
    (entry,) = (await client.get(f"/chats/{chat['id']}/ledger", headers=a.headers)).json()["items"]
    assert entry["payer_id"] == b.id and entry["split_kind"] == "equal"
    assert sorted(s["amount"] for s in entry["shares"]) == ["4.00", "4.00", "4.00"]
    assert nets(await balances(client, a, chat)) == {a.id: "-4.00", b.id: "8.00", c.id: "-4.00"}


async def test_paging_the_ledger(client):
    a, b, _c, chat = await trio(client)
    made = [await add(client, a, chat, amount=f"{i}.00") for i in range(1, 6)]
    seen: list[int] = []
    cursor = None
    while True:
        params = {"limit": 2, **({"before": cursor} if cursor else {})}
        body = (await client.get(f"/chats/{chat['id']}/ledger", headers=b.headers, params=params)).json()
        seen += [e["id"] for e in body["items"]]
        assert all(len(e["shares"]) == 3 for e in body["items"])
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == [e["id"] for e in reversed(made)]


async def test_a_proposing_message_is_linked(client, conn):
    a, b, _c, chat = await trio(client)
    app = await app_signin(client, conn)  # the AI's split card comes from the app credential
    card = await say(client, app, chat["id"], "Split it?", role="assistant", action="split")
    entry = await add(client, a, chat, amount="3.00", message_id=card["id"])
    assert entry["message_id"] == card["id"]
    other = await group_of(client, a, b)
    elsewhere = await say(client, a, other["id"], "elsewhere")
    problem = assert_problem(await client.post(f"/chats/{chat['id']}/ledger", headers=a.headers,
                                               json={"description": "x", "amount": "1.00",
                                                     "message_id": elsewhere["id"]}), 422)
    assert "message_id" in problem["detail"] and problem["errors"][0]["pointer"] == "/message_id"


@pytest.mark.parametrize("body,field,status", [
    # not the schema: 400
    ({"amount": "0"}, "amount", 400),
    ({"amount": "0.00"}, "amount", 400),
    ({"amount": "-1.00"}, "amount", 400),
    ({"amount": "1.001"}, "amount", 400),
    ({"amount": 5}, "amount", 400),
    ({"amount": "12345678901.00"}, "amount", 400),
    ({"description": "", "amount": "1.00"}, "description", 400),
    ({"description": " ", "amount": "1.00"}, "description", 400),
    ({"description": "x" * 201, "amount": "1.00"}, "description", 400),
    ({"amount": "1.00", "split_kind": "thirds"}, "split_kind", 400),
    ({"amount": "1.00", "payer_id": "nope"}, "payer_id", 400),
    ({"amount": "1.00", "spent_on": "yesterday"}, "spent_on", 400),
    ({"amount": "1.00", "message_id": 0}, "message_id", 400),
    ({"amount": "1.00", "split_kind": "shares", "shares": [{"user_id": "{a}", "weight": 0}]}, "weight", 400),
    ({"amount": "1.00", "note": "x"}, "note", 400),
    # the schema, but not the rules: 422 naming the field
    ({"amount": "1.00", "split_kind": "exact"}, "shares", 422),
    ({"amount": "1.00", "split_kind": "shares"}, "shares", 422),
    ({"amount": "1.00", "split_kind": "exact", "shares": [{"user_id": "{a}", "amount": "0.99"}]}, "shares", 422),
    ({"amount": "1.00", "split_kind": "exact", "shares": [{"user_id": "{a}", "weight": 1}]}, "shares[0].amount", 422),
    ({"amount": "1.00", "split_kind": "shares", "shares": [{"user_id": "{a}", "amount": "1.00"}]},
     "shares[0].weight", 422),
    ({"amount": "1.00", "shares": [{"user_id": "{a}", "weight": 2}]}, "shares[0]", 422),
    ({"amount": "1.00", "shares": [{"user_id": "{a}"}, {"user_id": "{a}"}]}, "shares[1].user_id", 422),
])
async def test_bad_entries_are_4xx_naming_the_field_and_change_nothing(client, conn, body, field, status):
    a, _b, _c, chat = await trio(client)
    body = {"description": "Dinner", **body}
    for share in body.get("shares", []):
        share["user_id"] = a.id if share["user_id"] == "{a}" else share["user_id"]
    before = await snapshot(conn)
    problem = assert_problem(await client.post(f"/chats/{chat['id']}/ledger", headers=a.headers, json=body),
                             status)
    assert field in problem["detail"] or any(field in str(e.get("pointer")) for e in problem.get("errors", [])), problem
    assert await snapshot(conn) == before
    assert await conn.fetchval("SELECT count(*) FROM ledger_entries") == 0


async def test_payer_and_shares_must_be_members(client, conn):
    a, b, _c, chat = await trio(client)
    stranger = await signup(client)
    path = f"/chats/{chat['id']}/ledger"
    problem = assert_problem(await client.post(path, headers=a.headers, json={
        "description": "x", "amount": "1.00", "payer_id": stranger.id}), 422)
    assert problem["errors"][0]["pointer"] == "/payer_id"
    problem = assert_problem(await client.post(path, headers=a.headers, json={
        "description": "x", "amount": "1.00", "shares": [{"user_id": b.id}, {"user_id": stranger.id}]}), 422)
    assert problem["errors"][0]["pointer"] == "/shares/1/user_id"
    settle_path = f"/chats/{chat['id']}/settlements"
    problem = assert_problem(await client.post(settle_path, headers=a.headers, json={
        "to_user_id": stranger.id, "amount": "1.00"}), 422)
    assert problem["errors"][0]["pointer"] == "/to_user_id"
    problem = assert_problem(await client.post(settle_path, headers=a.headers, json={
        "to_user_id": a.id, "amount": "1.00"}), 422)
    assert problem["errors"][0]["pointer"] == "/to_user_id"
    assert await conn.fetchval("SELECT count(*) FROM ledger_entries") == 0


async def test_a_solo_chat_has_no_ledger(client):
    a = await signup(client)
    solo = await new_chat(client, a)
    base = f"/chats/{solo['id']}"
    assert_problem(await client.get(f"{base}/ledger", headers=a.headers), 404)
    assert_problem(await client.get(f"{base}/balances", headers=a.headers), 404)
    assert_problem(await client.post(f"{base}/ledger", headers=a.headers,
                                     json={"description": "x", "amount": "1.00"}), 404)
    assert_problem(await client.post(f"{base}/settlements", headers=a.headers,
                                     json={"to_user_id": a.id, "amount": "1.00", "from_user_id": str(U[1])}), 404)


async def test_leaving_removal_and_account_deletion_keep_entries_and_balances(client, conn):
    a, b, c, chat = await trio(client)
    d = await signup(client)
    assert (await client.post(f"/chats/{chat['id']}/members", headers=a.headers,
                              json={"user_id": d.id})).status_code == 201
    # b pays 40 for all four (10 each); c pays 20 for c and d (10 each)
    await add(client, b, chat, amount="40.00")
    await add(client, c, chat, amount="20.00", split_kind="exact",
              shares=[{"user_id": c.id, "amount": "10.00"}, {"user_id": d.id, "amount": "10.00"}])
    before = nets(await balances(client, a, chat))
    assert before == {a.id: "-10.00", b.id: "30.00", c.id: "0.00", d.id: "-20.00"}
    # b leaves, c is removed: their balances still show, as former members
    assert (await client.delete(f"/chats/{chat['id']}/members/{b.id}", headers=b.headers)).status_code == 204
    assert (await client.delete(f"/chats/{chat['id']}/members/{c.id}", headers=a.headers)).status_code == 204
    body = await balances(client, a, chat)
    assert nets(body) == before
    assert {m["user_id"]: m["status"] for m in body["members"]} == {
        a.id: "member", b.id: "former", c.id: "former", d.id: "member"}
    # b's account goes: the entries stay, b shows as a deleted member, nobody else's balance moves
    assert (await client.request("DELETE", "/me", headers=b.headers,
                                 json={"password": b.password})).status_code in (200, 204)
    await purge_deleted_accounts(conn)  # the row goes with the account_purge job: payer_id NULL from then on
    body = await balances(client, d, chat)
    assert nets(body) == {a.id: "-10.00", None: "30.00", c.id: "0.00", d.id: "-20.00"}
    assert [m["status"] for m in body["members"] if m["user_id"] is None] == ["deleted"]
    entries = (await client.get(f"/chats/{chat['id']}/ledger", headers=a.headers)).json()["items"]
    assert len(entries) == 2 and entries[1]["payer_id"] is None and entries[1]["created_by"] is None
    # the transfers still settle everyone, the deleted member included (d -20, a -10 -> deleted +30)
    assert body["transfers"] == [{"from_user_id": d.id, "to_user_id": None, "amount": "20.00"},
                                 {"from_user_id": a.id, "to_user_id": None, "amount": "10.00"}]
    assert await total_spend(client, a, chat) == "60.00"


async def test_deleting_the_chat_deletes_its_ledger(client, conn):
    a, _b, _c, chat = await trio(client)
    await add(client, a, chat, amount="5.00")
    assert (await client.delete(f"/chats/{chat['id']}", headers=a.headers)).status_code == 204
    assert await conn.fetchval("SELECT count(*) FROM ledger_entries") == 0
    assert await conn.fetchval("SELECT count(*) FROM ledger_shares") == 0


# ---- the database's own guarantees ------------------------------------------------------------


async def test_the_database_refuses_to_commit_shares_that_do_not_add_up(client, conn):
    a, b, _c, chat = await trio(client)
    chat_id = uuid.UUID(chat["id"])
    insert_entry = """
        INSERT INTO ledger_entries (chat_id, split_kind, payer_id, amount, description, spent_on)
        VALUES ($1, 'exact', $2, 10.00, 'direct', current_date) RETURNING id"""
    insert_share = "INSERT INTO ledger_shares (chat_id, entry_id, user_id, amount) VALUES ($1, $2, $3, $4)"
    # shares 4.00 + 5.00 for an amount of 10.00: every statement passes, the COMMIT does not
    await conn.execute("BEGIN")
    entry_id = await conn.fetchval(insert_entry, chat_id, uuid.UUID(a.id))
    await conn.execute(insert_share, chat_id, entry_id, uuid.UUID(a.id), D("4.00"))
    await conn.execute(insert_share, chat_id, entry_id, uuid.UUID(b.id), D("5.00"))
    with pytest.raises(asyncpg.IntegrityConstraintViolationError) as refused:
        await conn.execute("COMMIT")
    assert refused.value.constraint_name == "ledger_shares_sum"
    # an entry without shares
    await conn.execute("BEGIN")
    await conn.fetchval(insert_entry, chat_id, uuid.UUID(a.id))
    with pytest.raises(asyncpg.IntegrityConstraintViolationError):
        await conn.execute("COMMIT")
    # changing a share of a committed entry later
    await conn.execute("BEGIN")
    entry_id = await conn.fetchval(insert_entry, chat_id, uuid.UUID(a.id))
    await conn.execute(insert_share, chat_id, entry_id, uuid.UUID(a.id), D("10.00"))
    await conn.execute("COMMIT")
    with pytest.raises(asyncpg.IntegrityConstraintViolationError):
        await conn.execute("UPDATE ledger_shares SET amount = 9.99 WHERE entry_id = $1", entry_id)
    with pytest.raises(asyncpg.IntegrityConstraintViolationError):
        await conn.execute("UPDATE ledger_entries SET amount = 11.00 WHERE id = $1", entry_id)
    assert await conn.fetchval("SELECT count(*) FROM ledger_entries") == 1
    # total_spend followed the one committed entry, in its statement
    assert await conn.fetchval("SELECT total_spend FROM group_contexts WHERE chat_id = $1", chat_id) == D("10.00")


async def test_total_spend_is_always_the_ledger_sum(client, conn):
    a, b, c, chat = await trio(client)
    for amount in ("12.50", "0.01", "7"):
        await add(client, a, chat, amount=amount)
    entry = await add(client, b, chat, amount="100.00")
    await client.post(f"/chats/{chat['id']}/ledger/{entry['id']}/void", headers=b.headers)
    drift = await conn.fetch("""
        SELECT gc.chat_id FROM group_contexts AS gc
        WHERE gc.total_spend <> (SELECT coalesce(sum(e.amount), 0) FROM ledger_entries AS e
                                 WHERE e.chat_id = gc.chat_id AND e.kind = 'expense' AND e.voided_at IS NULL)""")
    assert drift == [] and await total_spend(client, c, chat) == "19.51"


# ---- races --------------------------------------------------------------------------------------


def expense(amount: str, **kw: Any) -> LedgerEntryCreate:
    return LedgerEntryCreate(description="race", amount=amount, **kw)


async def test_two_members_adding_entries_at_once(client, conn, db_url):
    a, b, c, chat = await trio(client)
    chat_id = uuid.UUID(chat["id"])
    ua, ub = uuid.UUID(a.id), uuid.UUID(b.id)
    async with connections(db_url, 2) as (first, second):
        held = first.transaction()
        await held.start()
        try:
            await chats_logic.add_expense(first, ua, chat_id, expense("10.00"))  # holds the chat row lock
            blocked = await started_and_blocked(conn, chats_logic.add_expense(second, ub, chat_id, expense("20.00")))
            await held.commit()
        except BaseException:
            await held.rollback()
            raise
        late = await blocked
    assert late.amount == D("20.00")
    assert await conn.fetchval("SELECT count(*) FROM ledger_entries WHERE chat_id = $1", chat_id) == 2
    assert await total_spend(client, a, chat) == "30.00"
    # a paid 10, b paid 20, each owes 10 (3.34/3.33/3.33 + 6.67/6.67/6.66 by user id)
    body = await balances(client, c, chat)
    assert sum(D(n) for n in nets(body).values()) == 0
    assert D(nets(body)[a.id]) + D(nets(body)[b.id]) == D(nets(body)[c.id]) * -1


async def test_an_entry_racing_the_removal_of_a_share_holder(client, conn, db_url):
    a, _b, c, chat = await trio(client)
    chat_id = uuid.UUID(chat["id"])
    ua, uc = uuid.UUID(a.id), uuid.UUID(c.id)
    async with connections(db_url, 2) as (first, second):
        held = first.transaction()
        await held.start()
        try:
            await chats_logic.remove_member(first, ua, chat_id, uc)  # c removed, not yet committed
            body = expense("9.00", shares=[LedgerShareIn(user_id=ua), LedgerShareIn(user_id=uc)])
            blocked = await started_and_blocked(conn, chats_logic.add_expense(second, ua, chat_id, body))
            await held.commit()
        except BaseException:
            await held.rollback()
            raise
        with pytest.raises(DomainError) as refused:
            await blocked
    assert refused.value.status == 422 and "shares[1].user_id" in refused.value.detail
    assert await conn.fetchval("SELECT count(*) FROM ledger_entries WHERE chat_id = $1", chat_id) == 0


async def test_concurrent_equal_entries_keep_total_spend_exact(client, conn):
    a, b, c, chat = await trio(client)

    async def one(i: int) -> None:
        await add(client, (a, b, c)[i % 3], chat, amount="1.00")

    await asyncio.gather(*(one(i) for i in range(30)))
    assert await total_spend(client, a, chat) == "30.00"
