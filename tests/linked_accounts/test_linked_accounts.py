"""/linked-accounts: link, list (paginated), read, unlink, isolation and cascade."""

from __future__ import annotations

import itertools
import uuid

import pytest

from tests.helpers import assert_problem, purge_deleted_accounts, signup

_items = itertools.count()


def body(**fields):
    return {"institution": "Amazon", "account_name": "Alice's Amazon", "permissions": ["transactions", "orders"],
            "knot_item_id": f"knot-item-{next(_items)}", **fields}


async def link(client, account, **fields):
    response = await client.post("/linked-accounts", headers=account.headers, json=body(**fields))
    assert response.status_code == 201, response.text
    return response.json()


async def test_link_returns_the_account(client, conn):
    alice = await signup(client)
    linked = await link(client, alice, knot_item_id="knot-abc")
    uuid.UUID(linked["id"])
    assert linked["institution"] == "Amazon"
    assert linked["permissions"] == ["transactions", "orders"]
    assert linked["knot_item_id"] == "knot-abc"
    row = await conn.fetchrow("SELECT user_id::text, permissions FROM linked_accounts WHERE id = $1::uuid",
                              linked["id"])
    assert row["user_id"] == alice.id and row["permissions"] == ["transactions", "orders"]


async def test_permissions_default_to_an_empty_array(client):
    alice = await signup(client)
    payload = body()
    del payload["permissions"]
    response = await client.post("/linked-accounts", headers=alice.headers, json=payload)
    assert response.status_code == 201 and response.json()["permissions"] == []


async def test_get_list_and_unlink(client, conn):
    alice = await signup(client)
    amazon = await link(client, alice)
    doordash = await link(client, alice, institution="DoorDash", account_name="Alice's DoorDash")
    assert (await client.get(f"/linked-accounts/{amazon['id']}", headers=alice.headers)).json() == amazon
    listed = (await client.get("/linked-accounts", headers=alice.headers)).json()
    assert listed == {"items": [doordash, amazon], "next_cursor": None}
    assert (await client.delete(f"/linked-accounts/{amazon['id']}", headers=alice.headers)).status_code == 204
    assert_problem(await client.get(f"/linked-accounts/{amazon['id']}", headers=alice.headers), 404)
    assert_problem(await client.delete(f"/linked-accounts/{amazon['id']}", headers=alice.headers), 404)
    assert await conn.fetchval("SELECT count(*) FROM linked_accounts") == 1


async def test_duplicate_knot_item_is_409_for_anyone(client, conn):
    alice = await signup(client)
    bob = await signup(client)
    await link(client, alice, knot_item_id="knot-dup")
    for account in (alice, bob):
        response = await client.post("/linked-accounts", headers=account.headers, json=body(knot_item_id="knot-dup"))
        assert assert_problem(response, 409)["detail"] == "this Knot item is already linked"
    assert await conn.fetchval("SELECT count(*) FROM linked_accounts") == 1


async def test_unlinked_knot_item_can_be_linked_again(client):
    alice = await signup(client)
    first = await link(client, alice, knot_item_id="knot-again")
    await client.delete(f"/linked-accounts/{first['id']}", headers=alice.headers)
    assert (await link(client, alice, knot_item_id="knot-again"))["id"] != first["id"]


async def test_another_users_account_is_404_on_every_verb_and_unchanged(client, conn):
    alice = await signup(client)
    bob = await signup(client)
    linked = await link(client, alice)
    url = f"/linked-accounts/{linked['id']}"
    assert_problem(await client.get(url, headers=bob.headers), 404)
    assert_problem(await client.delete(url, headers=bob.headers), 404)
    assert (await client.get("/linked-accounts", headers=bob.headers)).json()["items"] == []
    assert (await client.get(url, headers=alice.headers)).json() == linked
    assert_problem(await client.get(f"/linked-accounts/{uuid.uuid4()}", headers=alice.headers), 404)


async def test_deleting_the_account_unlinks_everything_it_linked(client, conn):
    alice = await signup(client)
    bob = await signup(client)
    await link(client, alice)
    await link(client, alice)
    kept = await link(client, bob)
    assert (await client.delete("/me", headers=alice.headers)).status_code == 204
    await purge_deleted_accounts(conn)  # the row and its cascades go with the account_purge job
    assert await conn.fetchval("SELECT count(*) FROM linked_accounts WHERE user_id = $1::uuid", alice.id) == 0
    assert (await client.get("/linked-accounts", headers=bob.headers)).json()["items"] == [kept]


async def test_pages_cover_every_account_once_newest_first(client, conn):
    alice = await signup(client)
    created = [(await link(client, alice))["id"] for _ in range(5)]
    # Rows that share created_at (one transaction) are ordered by id: the cursor must carry both.
    await conn.execute("UPDATE linked_accounts SET created_at = '2025-01-01T00:00:00Z' WHERE id = ANY($1::uuid[])",
                       created[1:4])
    seen, cursor = [], None
    while True:
        params = {"limit": 2} | ({"before": cursor} if cursor else {})
        page = (await client.get("/linked-accounts", headers=alice.headers, params=params)).json()
        assert len(page["items"]) <= 2
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(created) and len(seen) == len(set(seen))
    assert seen[:2] == [created[4], created[0]]  # the two untouched rows: newer than 2025-01-01
    assert seen[2:] == sorted(created[1:4], key=uuid.UUID, reverse=True)


@pytest.mark.parametrize("payload", [
    body(institution=""),
    body(institution="i" * 101),
    body(account_name=""),
    body(account_name="a" * 201),
    body(knot_item_id=""),
    body(knot_item_id="k" * 256),
    body(permissions="transactions"),
    body(permissions={"read": True}),
    body(permissions=[1, 2]),
    body(permissions=["ok", None]),
    body(permissions=[""]),
    body(permissions=["p"] * 51),
    body(user_id="00000000-0000-0000-0000-000000000000"),
    {"institution": "Amazon", "account_name": "x"},
    {k: v for k, v in body().items() if k != "institution"},
    body(institution=7),
])
async def test_bad_input_is_400_and_stores_nothing(client, conn, payload):
    alice = await signup(client)
    assert_problem(await client.post("/linked-accounts", headers=alice.headers, json=payload), 400)
    assert await conn.fetchval("SELECT count(*) FROM linked_accounts") == 0


async def test_sql_looking_text_is_stored_verbatim(client):
    alice = await signup(client)
    evil = "x'); DELETE FROM linked_accounts; --"
    linked = await link(client, alice, institution=evil, permissions=[evil])
    assert (linked["institution"], linked["permissions"]) == (evil, [evil])


async def test_database_refuses_non_string_permissions_even_without_the_api(client, conn):
    alice = await signup(client)
    with pytest.raises(Exception, match="linked_accounts_permissions_chk"):
        await conn.execute("INSERT INTO linked_accounts (user_id, institution, account_name, permissions, knot_item_id)"
                           " VALUES ($1::uuid, 'A', 'B', '[\"ok\", 1]'::jsonb, 'k')", alice.id)


@pytest.mark.parametrize("params", [{"before": "%%%"}, {"before": "WzFd"}, {"before": "WyJ4IiwgIngiXQ"},
                                    {"limit": 0}, {"limit": 201}])
async def test_bad_list_parameters_are_400(client, params):
    alice = await signup(client)
    assert_problem(await client.get("/linked-accounts", headers=alice.headers, params=params), 400)


async def test_malformed_ids_are_4xx(client):
    alice = await signup(client)
    for method in ("get", "delete"):
        response = await getattr(client, method)("/linked-accounts/not-a-uuid", headers=alice.headers)
        assert_problem(response, response.status_code)
        assert response.status_code in (400, 404)
