import pytest

from tests.expenses.util import add_expense, category_ids, snapshot
from tests.helpers import assert_problem, signup

DEFAULTS = {
    "Food": ("#ef4444", "🍔"),
    "Transport": ("#3b82f6", "🚗"),
    "Shopping": ("#10b981", "🛍️"),
    "Bills": ("#f59e0b", "💳"),
    "Entertainment": ("#8b5cf6", "🎬"),
    "Health": ("#ec4899", "🏥"),
}


async def test_registration_creates_the_six_default_categories(client):
    account = await signup(client)
    items = (await client.get("/categories", headers=account.headers)).json()["items"]
    assert {c["name"]: (c["color"], c["icon"]) for c in items} == DEFAULTS
    assert all(c["is_default"] for c in items)
    assert [c["name"] for c in items] == sorted(DEFAULTS, key=str.lower)


async def test_default_categories_roll_back_with_a_failed_registration(client, conn):
    await signup(client, email="taken@example.com")
    response = await client.post("/auth/register", json={"email": "TAKEN@example.com", "password": "long enough"})
    assert_problem(response, 409)
    assert await conn.fetchval("SELECT count(*) FROM categories") == 6


async def test_category_crud(client, conn):
    account = await signup(client)
    created = await client.post("/categories", headers=account.headers,
                                json={"name": "Pets", "color": "#AABBCC", "icon": "🐶", "description": "vet, food"})
    assert created.status_code == 201
    category = created.json()
    assert (category["name"], category["color"], category["is_default"]) == ("Pets", "#aabbcc", False)
    url = f"/categories/{category['id']}"
    assert (await client.get(url, headers=account.headers)).json() == category

    patched = await client.patch(url, headers=account.headers, json={"name": "Animals", "icon": None})
    assert patched.status_code == 200
    assert (patched.json()["name"], patched.json()["icon"], patched.json()["color"]) == ("Animals", None, "#aabbcc")

    assert (await client.delete(url, headers=account.headers)).status_code == 204
    assert_problem(await client.get(url, headers=account.headers), 404)
    assert await conn.fetchval("SELECT count(*) FROM categories WHERE name = 'Animals'") == 0


async def test_colour_defaults_to_blue(client):
    account = await signup(client)
    category = (await client.post("/categories", headers=account.headers, json={"name": "Misc"})).json()
    assert category["color"] == "#3182ce"


async def test_name_is_unique_per_user_regardless_of_case(client, conn):
    alice, bob = await signup(client), await signup(client)
    body = assert_problem(await client.post("/categories", headers=alice.headers, json={"name": "FOOD"}), 409)
    assert "already have a category" in body["detail"]
    # another user may use the name
    assert (await client.post("/categories", headers=bob.headers, json={"name": "Gifts"})).status_code == 201
    assert (await client.post("/categories", headers=alice.headers, json={"name": "gifts"})).status_code == 201
    ids = await category_ids(client, alice)
    assert_problem(await client.patch(f"/categories/{ids['gifts']}", headers=alice.headers,
                                      json={"name": "health"}), 409)


async def test_delete_in_use_category_is_409_with_the_count(client, conn):
    account = await signup(client)
    food = (await category_ids(client, account))["Food"]
    for _ in range(3):
        await add_expense(client, account, food)
    before = await snapshot(conn)
    body = assert_problem(await client.delete(f"/categories/{food}", headers=account.headers), 409)
    assert body["expense_count"] == 3
    assert "3 expenses" in body["detail"]
    assert await snapshot(conn) == before


async def test_deleting_a_category_deletes_its_budgets(client, conn):
    account = await signup(client)
    health = (await category_ids(client, account))["Health"]
    await client.post("/budgets", headers=account.headers,
                      json={"category_id": health, "amount": "50", "start_date": "2026-01-01"})
    overall = await client.post("/budgets", headers=account.headers, json={"amount": "500", "start_date": "2026-01-01"})
    assert (await client.delete(f"/categories/{health}", headers=account.headers)).status_code == 204
    assert await conn.fetchval("SELECT array_agg(id::text) FROM budgets") == [overall.json()["id"]]


@pytest.mark.parametrize("body", [
    {"name": "x", "color": "red"},
    {"name": "x", "color": "#12345"},
    {"name": "x", "color": "#1234567"},
    {"name": "x", "color": "#gggggg"},
    {"name": ""},
    {"name": " padded "},
    {"name": "x" * 101},
    {"name": "x", "icon": "i" * 51},
    {"name": "x", "is_default": True},
    {"name": "x", "user_id": "00000000-0000-0000-0000-000000000000"},
    {"name": 5},
    {"name": None},
])
async def test_bad_category_input_is_400_and_changes_nothing(client, conn, body):
    account = await signup(client)
    food = (await category_ids(client, account))["Food"]
    before = await snapshot(conn)
    assert_problem(await client.post("/categories", headers=account.headers, json=body), 400)
    assert_problem(await client.patch(f"/categories/{food}", headers=account.headers, json=body), 400)
    assert await snapshot(conn) == before


async def test_a_category_needs_a_name(client, conn):
    account = await signup(client)
    before = await snapshot(conn)
    assert_problem(await client.post("/categories", headers=account.headers, json={"color": "#aabbcc"}), 400)
    assert await snapshot(conn) == before


async def test_malformed_json_is_400(client, conn):
    account = await signup(client)
    before = await snapshot(conn)
    response = await client.post("/categories", headers={**account.headers, "content-type": "application/json"},
                                 content=b'{"name": ')
    assert_problem(response, 400)
    assert await snapshot(conn) == before


async def test_sql_looking_names_are_stored_verbatim(client):
    account = await signup(client)
    name = "Robert'); DROP TABLE categories;--"
    created = (await client.post("/categories", headers=account.headers, json={"name": name})).json()
    assert created["name"] == name
    assert name in await category_ids(client, account)


async def test_categories_are_paginated(client):
    account = await signup(client)
    seen, cursor = [], None
    while True:
        params = {"limit": 4} | ({"before": cursor} if cursor else {})
        page = (await client.get("/categories", headers=account.headers, params=params)).json()
        seen += [c["name"] for c in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(DEFAULTS, key=str.lower)
    assert_problem(await client.get("/categories", headers=account.headers, params={"before": "garbage!"}), 400)
    assert_problem(await client.get("/categories", headers=account.headers, params={"limit": 201}), 400)


async def test_another_users_category_is_404_on_every_verb(client, conn):
    alice, bob = await signup(client), await signup(client)
    food = (await category_ids(client, alice))["Food"]
    before = await snapshot(conn)
    url = f"/categories/{food}"
    assert_problem(await client.get(url, headers=bob.headers), 404)
    assert_problem(await client.patch(url, headers=bob.headers, json={"name": "Mine"}), 404)
    assert_problem(await client.delete(url, headers=bob.headers), 404)
    assert food not in (await category_ids(client, bob)).values()
    assert await snapshot(conn) == before
    missing = "/categories/00000000-0000-0000-0000-000000000000"
    assert_problem(await client.get(missing, headers=alice.headers), 404)
    assert_problem(await client.delete(missing, headers=alice.headers), 404)


async def test_without_a_token_is_401(client):
    assert_problem(await client.get("/categories"), 401)
