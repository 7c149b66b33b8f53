import pytest

from tests.expenses.util import add_expense, category_ids, snapshot
from tests.helpers import assert_problem, purge_deleted_accounts, signup

MISSING = "00000000-0000-0000-0000-000000000000"


async def test_expense_crud_with_decimal_strings(client, conn):
    account = await signup(client)
    food = (await category_ids(client, account))["Food"]
    expense = await add_expense(client, account, food, amount="12.5", spent_on="2026-03-01",
                                description="Lunch", payment_method="card", tags=["work", "lunch"],
                                notes="with Bob", receipt_url="https://example.com/r/1.jpg")
    assert expense["amount"] == "12.50"
    assert (expense["tags"], expense["spent_on"], expense["category_id"]) == (["work", "lunch"], "2026-03-01", food)
    url = f"/expenses/{expense['id']}"
    assert (await client.get(url, headers=account.headers)).json() == expense

    transport = (await category_ids(client, account))["Transport"]
    patched = (await client.patch(url, headers=account.headers,
                                  json={"amount": "99.99", "category_id": transport, "notes": None})).json()
    assert (patched["amount"], patched["category_id"], patched["notes"]) == ("99.99", transport, None)
    assert patched["description"] == "Lunch"
    assert await conn.fetchval("SELECT amount::text FROM expenses") == "99.99"

    assert (await client.delete(url, headers=account.headers)).status_code == 204
    assert_problem(await client.get(url, headers=account.headers), 404)
    assert_problem(await client.delete(url, headers=account.headers), 404)


async def test_an_expense_cannot_use_another_users_category(client, conn):
    alice, bob = await signup(client), await signup(client)
    bobs_food = (await category_ids(client, bob))["Food"]
    alices_food = (await category_ids(client, alice))["Food"]
    mine = await add_expense(client, alice, alices_food)
    before = await snapshot(conn)
    body = {"category_id": bobs_food, "amount": "1.00", "spent_on": "2026-01-01"}
    problem = assert_problem(await client.post("/expenses", headers=alice.headers, json=body), 422)
    assert "not one of your categories" in problem["detail"]
    assert_problem(await client.patch(f"/expenses/{mine['id']}", headers=alice.headers,
                                      json={"category_id": bobs_food}), 422)
    # a crafted body cannot name the owner
    assert_problem(await client.post("/expenses", headers=alice.headers, json={**body, "user_id": bob.id}), 400)
    assert_problem(await client.post("/expenses", headers=alice.headers, json={**body, "category_id": MISSING}), 422)
    assert await snapshot(conn) == before


async def test_the_composite_foreign_key_holds_in_the_database_itself(client, conn):
    import asyncpg

    alice, bob = await signup(client), await signup(client)
    bobs_food = (await category_ids(client, bob))["Food"]
    with pytest.raises(asyncpg.ForeignKeyViolationError):
        await conn.execute("INSERT INTO expenses (user_id, category_id, amount, spent_on) "
                           "VALUES ($1, $2, 1, '2026-01-01')", alice.id, bobs_food)
    with pytest.raises(asyncpg.ForeignKeyViolationError):
        await conn.execute("INSERT INTO budgets (user_id, category_id, amount, start_date) "
                           "VALUES ($1, $2, 1, '2026-01-01')", alice.id, bobs_food)
    with pytest.raises(asyncpg.CheckViolationError):
        await conn.execute("INSERT INTO expenses (user_id, category_id, amount, spent_on, tags) "
                           "VALUES ($1, $2, 1, '2026-01-01', $3)", bob.id, bobs_food, [str(i) for i in range(21)])
    with pytest.raises(asyncpg.CheckViolationError):
        await conn.execute("INSERT INTO expenses (user_id, category_id, amount, spent_on, tags) "
                           "VALUES ($1, $2, 1, '2026-01-01', $3)", bob.id, bobs_food, ["ok", ""])


BAD_BODIES = [
    {"amount": "0"},
    {"amount": "0.00"},
    {"amount": "-5.00"},
    {"amount": "1.234"},
    {"amount": "abc"},
    {"amount": "1e3"},
    {"amount": 12.5},
    {"amount": "12345678901.00"},
    {"spent_on": "2026-02-30"},
    {"spent_on": "yesterday"},
    {"description": "d" * 256},
    {"payment_method": "p" * 51},
    {"payment_method": ""},
    {"tags": [f"t{i}" for i in range(21)]},
    {"tags": [""]},
    {"tags": ["x" * 101]},
    {"tags": "not-a-list"},
    {"notes": "n" * 5001},
    {"receipt_url": "ftp://example.com/r.jpg"},
    {"receipt_url": "javascript:alert(1)"},
    {"receipt_url": "https://example.com/" + "a" * 500},
    {"category_id": "not-a-uuid"},
    {"unknown": 1},
]


@pytest.mark.parametrize("change", BAD_BODIES)
async def test_bad_expense_input_is_400_and_changes_nothing(client, conn, change):
    account = await signup(client)
    food = (await category_ids(client, account))["Food"]
    existing = await add_expense(client, account, food)
    before = await snapshot(conn)
    body = {"category_id": food, "amount": "10.00", "spent_on": "2026-03-01", **change}
    assert_problem(await client.post("/expenses", headers=account.headers, json=body), 400)
    assert_problem(await client.patch(f"/expenses/{existing['id']}", headers=account.headers, json=change), 400)
    assert await snapshot(conn) == before


async def test_missing_required_fields_and_nulls_are_400(client, conn):
    account = await signup(client)
    food = (await category_ids(client, account))["Food"]
    existing = await add_expense(client, account, food)
    before = await snapshot(conn)
    assert_problem(await client.post("/expenses", headers=account.headers, json={"category_id": food}), 400)
    for field in ("amount", "spent_on", "category_id", "tags"):
        assert_problem(await client.patch(f"/expenses/{existing['id']}", headers=account.headers,
                                          json={field: None}), 400)
    assert await snapshot(conn) == before


async def test_sql_looking_text_is_stored_verbatim(client):
    account = await signup(client)
    food = (await category_ids(client, account))["Food"]
    text = "'; DELETE FROM expenses; --"
    expense = await add_expense(client, account, food, description=text, tags=[text])
    got = (await client.get(f"/expenses/{expense['id']}", headers=account.headers)).json()
    assert (got["description"], got["tags"]) == (text, [text])
    found = (await client.get("/expenses", headers=account.headers, params={"q": "delete from"})).json()
    assert [e["id"] for e in found["items"]] == [expense["id"]]


async def test_another_users_expense_is_404_on_every_verb(client, conn):
    alice, bob = await signup(client), await signup(client)
    food = (await category_ids(client, alice))["Food"]
    expense = await add_expense(client, alice, food)
    before = await snapshot(conn)
    url = f"/expenses/{expense['id']}"
    assert_problem(await client.get(url, headers=bob.headers), 404)
    assert_problem(await client.patch(url, headers=bob.headers, json={"amount": "1.00"}), 404)
    assert_problem(await client.delete(url, headers=bob.headers), 404)
    assert (await client.get("/expenses", headers=bob.headers)).json() == {"items": [], "next_cursor": None}
    # filtering by another user's category finds nothing either
    listed = await client.get("/expenses", headers=bob.headers, params={"category_id": food})
    assert listed.json()["items"] == []
    assert await snapshot(conn) == before
    assert_problem(await client.get(f"/expenses/{MISSING}", headers=alice.headers), 404)


async def test_deleting_an_account_deletes_its_expenses_budgets_and_categories(client, conn):
    account = await signup(client)
    food = (await category_ids(client, account))["Food"]
    await add_expense(client, account, food)
    await client.post("/budgets", headers=account.headers,
                      json={"category_id": food, "amount": "10", "start_date": "2026-01-01"})
    assert (await client.delete("/me", headers=account.headers)).status_code == 204
    await purge_deleted_accounts(conn)  # the row and its cascades go with the account_purge job
    assert await snapshot(conn) == ([], [], [])
