from tests.expenses.util import add_expense, category_ids
from tests.helpers import assert_problem, signup


async def _world(client):
    account = await signup(client)
    cats = await category_ids(client, account)
    rows = [
        ("Food", "4.50", "2026-03-01", "Coffee beans", ["home"], None),
        ("Food", "23.10", "2026-03-03", "Groceries", ["home", "weekly"], "market"),
        ("Transport", "2.80", "2026-03-03", "Bus ticket", [], None),
        ("Bills", "120.00", "2026-03-05", "Electricity", ["utility"], "March bill"),
        ("Entertainment", "15.00", "2026-03-08", "Cinema", ["fun"], "with Alice"),
        ("Food", "60.00", "2026-04-02", "Dinner out", ["fun"], None),
    ]
    made = []
    for cat, amount, day, desc, tags, notes in rows:
        made.append(await add_expense(client, account, cats[cat], amount=amount, spent_on=day,
                                      description=desc, tags=tags, notes=notes))
    return account, cats, made


async def _descriptions(client, account, **params):
    response = await client.get("/expenses", headers=account.headers, params=params)
    assert response.status_code == 200, response.text
    return [e["description"] for e in response.json()["items"]]


async def test_listing_is_newest_first(client):
    account, _, _ = await _world(client)
    got = await _descriptions(client, account)
    assert got[0] == "Dinner out" and got[-1] == "Coffee beans"
    assert len(got) == 6


async def test_every_filter(client):
    account, cats, _ = await _world(client)
    assert set(await _descriptions(client, account, **{"from": "2026-03-03", "to": "2026-03-05"})) == {
        "Groceries", "Bus ticket", "Electricity"}
    assert await _descriptions(client, account, **{"from": "2026-04-01"}) == ["Dinner out"]
    assert await _descriptions(client, account, to="2026-03-01") == ["Coffee beans"]
    assert await _descriptions(client, account, category_id=cats["Food"]) == [
        "Dinner out", "Groceries", "Coffee beans"]
    assert set(await _descriptions(client, account, min_amount="23.10")) == {"Groceries", "Electricity", "Dinner out"}
    assert set(await _descriptions(client, account, max_amount="4.50")) == {"Coffee beans", "Bus ticket"}
    assert await _descriptions(client, account, min_amount="15", max_amount="60") == [
        "Dinner out", "Cinema", "Groceries"]
    assert await _descriptions(client, account, tag="fun") == ["Dinner out", "Cinema"]
    assert await _descriptions(client, account, tag="FUN") == []  # tags match exactly
    assert await _descriptions(client, account, q="GROC") == ["Groceries"]
    assert await _descriptions(client, account, q="alice") == ["Cinema"]  # notes are searched too
    assert await _descriptions(client, account, q="100%") == []  # no wildcard meaning
    assert await _descriptions(client, account, tag="home", category_id=cats["Food"], min_amount="5") == [
        "Groceries"]


async def test_pagination_walks_every_row_once_across_equal_dates(client):
    account = await signup(client)
    food = (await category_ids(client, account))["Food"]
    ids = [(await add_expense(client, account, food, spent_on=f"2026-03-0{1 + i % 3}"))["id"] for i in range(7)]
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 2} | ({"before": cursor} if cursor else {})
        page = (await client.get("/expenses", headers=account.headers, params=params)).json()
        seen += page["items"]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 4
    assert sorted(e["id"] for e in seen) == sorted(ids)
    keys = [(e["spent_on"], e["id"]) for e in seen]
    assert keys == sorted(keys, reverse=True)


async def test_pagination_keeps_filters(client):
    account, cats, _ = await _world(client)
    first = (await client.get("/expenses", headers=account.headers,
                              params={"category_id": cats["Food"], "limit": 2})).json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    rest = (await client.get("/expenses", headers=account.headers,
                             params={"category_id": cats["Food"], "limit": 2, "before": first["next_cursor"]})).json()
    assert [e["description"] for e in rest["items"]] == ["Coffee beans"] and rest["next_cursor"] is None


async def test_bad_listing_parameters_are_400(client):
    account, _, _ = await _world(client)
    for params in [
        {"from": "2026-03-10", "to": "2026-03-01"},
        {"from": "not-a-date"},
        {"min_amount": "-1"},
        {"min_amount": "1.234"},
        {"min_amount": "abc"},
        {"min_amount": "10", "max_amount": "5"},
        {"category_id": "nope"},
        {"limit": 0},
        {"limit": 201},
        {"before": "bad-cursor"},
        {"tag": "x" * 101},
        {"q": ""},
    ]:
        assert_problem(await client.get("/expenses", headers=account.headers, params=params), 400)
