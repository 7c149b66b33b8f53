import pytest

from tests.expenses.util import category_ids, snapshot
from tests.helpers import assert_problem, signup


async def test_budget_crud(client, conn):
    account = await signup(client)
    food = (await category_ids(client, account))["Food"]
    created = await client.post("/budgets", headers=account.headers,
                                json={"category_id": food, "amount": "300", "start_date": "2026-01-01"})
    assert created.status_code == 201, created.text
    budget = created.json()
    assert (budget["amount"], budget["period"], budget["end_date"]) == ("300.00", "monthly", None)
    url = f"/budgets/{budget['id']}"
    assert (await client.get(url, headers=account.headers)).json() == budget
    patched = (await client.patch(url, headers=account.headers,
                                  json={"period": "weekly", "amount": "75.50", "end_date": "2026-06-30",
                                        "category_id": None})).json()
    assert (patched["period"], patched["amount"], patched["end_date"], patched["category_id"]) == (
        "weekly", "75.50", "2026-06-30", None)
    listed = (await client.get("/budgets", headers=account.headers)).json()
    assert [b["id"] for b in listed["items"]] == [budget["id"]]
    assert (await client.delete(url, headers=account.headers)).status_code == 204
    assert_problem(await client.get(url, headers=account.headers), 404)
    assert await conn.fetchval("SELECT count(*) FROM budgets") == 0


async def test_budgets_are_paginated_latest_start_first(client):
    account = await signup(client)
    for month in range(1, 6):
        await client.post("/budgets", headers=account.headers,
                          json={"amount": "10", "start_date": f"2026-0{month}-01"})
    seen, cursor = [], None
    while True:
        params = {"limit": 2} | ({"before": cursor} if cursor else {})
        page = (await client.get("/budgets", headers=account.headers, params=params)).json()
        seen += [b["start_date"] for b in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [f"2026-0{m}-01" for m in range(5, 0, -1)]


@pytest.mark.parametrize("change", [
    {"amount": "0"},
    {"amount": "-1"},
    {"amount": "1.001"},
    {"amount": "ten"},
    {"amount": 10},
    {"period": "daily"},
    {"start_date": "2026-05-01", "end_date": "2026-04-30"},
    {"start_date": "someday"},
    {"category_id": "x"},
    {"user_id": "00000000-0000-0000-0000-000000000000"},
])
async def test_bad_budget_input_is_400_and_changes_nothing(client, conn, change):
    account = await signup(client)
    existing = (await client.post("/budgets", headers=account.headers,
                                  json={"amount": "10", "start_date": "2026-01-01"})).json()
    before = await snapshot(conn)
    body = {"amount": "10", "start_date": "2026-01-01", **change}
    assert_problem(await client.post("/budgets", headers=account.headers, json=body), 400)
    assert_problem(await client.patch(f"/budgets/{existing['id']}", headers=account.headers, json=change), 400)
    assert await snapshot(conn) == before


async def test_patching_end_before_the_stored_start_is_422(client, conn):
    account = await signup(client)
    budget = (await client.post("/budgets", headers=account.headers,
                                json={"amount": "10", "start_date": "2026-03-01"})).json()
    before = await snapshot(conn)
    body = assert_problem(await client.patch(f"/budgets/{budget['id']}", headers=account.headers,
                                             json={"end_date": "2026-02-01"}), 422)
    assert "end_date" in body["detail"]
    assert await snapshot(conn) == before


async def test_a_budget_cannot_use_another_users_category(client, conn):
    alice, bob = await signup(client), await signup(client)
    bobs_food = (await category_ids(client, bob))["Food"]
    mine = (await client.post("/budgets", headers=alice.headers, json={"amount": "10", "start_date": "2026-01-01"}))
    before = await snapshot(conn)
    assert_problem(await client.post("/budgets", headers=alice.headers,
                                     json={"category_id": bobs_food, "amount": "10", "start_date": "2026-01-01"}), 422)
    assert_problem(await client.patch(f"/budgets/{mine.json()['id']}", headers=alice.headers,
                                      json={"category_id": bobs_food}), 422)
    assert await snapshot(conn) == before


async def test_another_users_budget_is_404_on_every_verb(client, conn):
    alice, bob = await signup(client), await signup(client)
    budget = (await client.post("/budgets", headers=alice.headers,
                                json={"amount": "10", "start_date": "2026-01-01"})).json()
    before = await snapshot(conn)
    url = f"/budgets/{budget['id']}"
    assert_problem(await client.get(url, headers=bob.headers), 404)
    assert_problem(await client.patch(url, headers=bob.headers, json={"amount": "99"}), 404)
    assert_problem(await client.delete(url, headers=bob.headers), 404)
    assert (await client.get("/budgets", headers=bob.headers)).json()["items"] == []
    assert await snapshot(conn) == before
