from tests.expenses.util import category_ids, snapshot
from tests.helpers import assert_problem, signup


def _rows(food, transport, n):
    return [
        {"category_id": food if i % 2 else transport, "amount": f"{1 + i % 50}.{i % 100:02d}",
         "spent_on": f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}", "description": f"row {i}",
         "tags": ["imported"] if i % 3 == 0 else []}
        for i in range(n)
    ]


async def test_import_inserts_every_row(client, conn):
    account = await signup(client)
    cats = await category_ids(client, account)
    rows = _rows(cats["Food"], cats["Transport"], 500)
    response = await client.post("/expenses/import", headers=account.headers, json={"expenses": rows})
    assert response.status_code == 201, response.text
    assert response.json() == {"inserted": 500}
    stored = await conn.fetch("SELECT description, amount::text AS amount, spent_on::text AS spent_on, tags "
                              "FROM expenses ORDER BY (substr(description, 5))::int")
    assert [(r["description"], r["amount"], r["spent_on"], r["tags"]) for r in stored] == [
        (r["description"], r["amount"], r["spent_on"], r["tags"]) for r in rows]


async def test_import_of_10000_rows_is_accepted(client, conn):
    account = await signup(client)
    cats = await category_ids(client, account)
    response = await client.post("/expenses/import", headers=account.headers,
                                 json={"expenses": _rows(cats["Food"], cats["Transport"], 10_000)})
    assert response.status_code == 201, response.text
    assert await conn.fetchval("SELECT count(*) FROM expenses") == 10_000


async def test_one_bad_row_rolls_back_everything_and_is_named(client, conn):
    account = await signup(client)
    cats = await category_ids(client, account)
    rows = _rows(cats["Food"], cats["Transport"], 100)
    rows[57]["amount"] = "0"
    before = await snapshot(conn)
    body = assert_problem(await client.post("/expenses/import", headers=account.headers, json={"expenses": rows}), 400)
    assert [(e["location"], e["pointer"]) for e in body["errors"]] == [("body", "/expenses/57/amount")]
    rows[57]["amount"] = "1.00"
    rows[63]["tags"] = ["t"] * 21
    body = assert_problem(await client.post("/expenses/import", headers=account.headers, json={"expenses": rows}), 400)
    assert [(e["pointer"], e["code"]) for e in body["errors"]] == [("/expenses/63/tags", "too_long")]
    assert await snapshot(conn) == before


async def test_a_foreign_category_in_one_row_rolls_back_everything_and_is_named(client, conn):
    account, other = await signup(client), await signup(client)
    cats = await category_ids(client, account)
    rows = _rows(cats["Food"], cats["Transport"], 100)
    rows[42]["category_id"] = (await category_ids(client, other))["Food"]
    rows[77]["category_id"] = "00000000-0000-0000-0000-000000000000"
    before = await snapshot(conn)
    body = assert_problem(await client.post("/expenses/import", headers=account.headers, json={"expenses": rows}), 422)
    assert body["row"] == 42 and "row 42" in body["detail"]
    assert await snapshot(conn) == before


async def test_import_limits(client, conn):
    account = await signup(client)
    cats = await category_ids(client, account)
    before = await snapshot(conn)
    assert_problem(await client.post("/expenses/import", headers=account.headers, json={"expenses": []}), 400)
    too_many = _rows(cats["Food"], cats["Transport"], 10_001)
    assert_problem(await client.post("/expenses/import", headers=account.headers, json={"expenses": too_many}), 400)
    assert_problem(await client.post("/expenses/import", headers=account.headers, json=[]), 400)
    assert await snapshot(conn) == before
