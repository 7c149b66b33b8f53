"""Report numbers against hand computations (the rules are in the README's Expenses section).

Range 2026-03-01 (a Sunday) .. 2026-04-15 (a Wednesday): 46 days of 2026 (365 days),
2 calendar months (March, April), 8 ISO weeks (Mon 2026-02-23 .. Mon 2026-04-13).
"""

from decimal import Decimal

import pytest

from tests.expenses.util import add_expense, category_ids
from tests.helpers import assert_problem, signup

RANGE = {"from": "2026-03-01", "to": "2026-04-15"}


async def _budget(client, account, amount, start, category=None, period="monthly", end=None):
    body = {"amount": amount, "start_date": start, "period": period, "category_id": category, "end_date": end}
    response = await client.post("/budgets", headers=account.headers, json=body)
    assert response.status_code == 201, response.text


async def _world(client):
    account = await signup(client)
    c = await category_ids(client, account)
    for cat, amount, day in [
        ("Food", "10.50", "2026-03-01"), ("Food", "20.25", "2026-04-15"),
        ("Food", "99.99", "2026-04-16"), ("Food", "5.00", "2026-02-28"),  # outside the range
        ("Transport", "12.30", "2026-03-15"), ("Bills", "100.00", "2026-03-05"), ("Health", "7.77", "2026-04-01"),
    ]:
        await add_expense(client, account, c[cat], amount=amount, spent_on=day)
    await _budget(client, account, "300", "2026-01-01", c["Food"])  # 2 months -> 600.00
    await _budget(client, account, "20", "2026-01-01", c["Transport"], "weekly")  # 8 weeks -> 160.00
    await _budget(client, account, "730", "2026-01-01", c["Bills"], "yearly")  # 730 * 46 / 365 -> 92.00
    await _budget(client, account, "50", "2026-04-10", c["Entertainment"])  # overlap Apr 10..15: 1 month -> 50.00
    await _budget(client, account, "40", "2025-01-01", c["Entertainment"], end="2026-02-28")  # ended: not applied
    await _budget(client, account, "100", "2026-01-01", c["Shopping"], end="2026-03-20")  # March only -> 100.00
    await _budget(client, account, "1000", "2026-01-01")  # all spending, 2 months -> 2000.00
    return account, c


async def test_spending_report_matches_the_hand_computation(client):
    account, c = await _world(client)
    # someone else's spending and budgets must not leak in
    other = await signup(client)
    await add_expense(client, other, (await category_ids(client, other))["Food"], amount="500.00",
                      spent_on="2026-03-10")
    await _budget(client, other, "5", "2026-01-01")

    response = await client.get("/reports/spending", headers=account.headers, params=RANGE)
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["from"], report["to"]) == ("2026-03-01", "2026-04-15")
    lines = {line["name"]: (line["spent"], line["budget"], line["remaining"]) for line in report["categories"]}
    assert lines == {
        "Bills": ("100.00", "92.00", "-8.00"),
        "Entertainment": ("0.00", "50.00", "50.00"),
        "Food": ("30.75", "600.00", "569.25"),
        "Health": ("7.77", None, None),
        "Shopping": ("0.00", "100.00", "100.00"),
        "Transport": ("12.30", "160.00", "147.70"),
    }
    assert [line["name"] for line in report["categories"]] == sorted(lines)
    assert {line["id"]: line["color"] for line in report["categories"]}[c["Food"]] == "#ef4444"
    assert report["overall"] == {"spent": "150.82", "budget": "2000.00", "remaining": "1849.18"}


async def test_budgets_scale_across_a_year_boundary(client):
    account = await signup(client)
    c = await category_ids(client, account)
    await _budget(client, account, "3650", "2020-01-01", c["Bills"], "yearly")
    await _budget(client, account, "100", "2020-01-01", c["Food"], "monthly")
    await _budget(client, account, "7", "2020-01-01", c["Transport"], "weekly")
    report = (await client.get("/reports/spending", headers=account.headers,
                               params={"from": "2027-12-01", "to": "2028-01-31"})).json()
    budgets = {line["name"]: line["budget"] for line in report["categories"]}
    # yearly: 3650 * 31/365 (Dec 2027) + 3650 * 31/366 (Jan 2028, leap year) = 310 + 309.153...
    expected_yearly = (Decimal(3650) * 31 / 365 + Decimal(3650) * 31 / 366).quantize(Decimal("0.01"))
    assert budgets["Bills"] == str(expected_yearly) == "619.15"
    assert budgets["Food"] == "200.00"  # December and January
    # Wed 2027-12-01 .. Mon 2028-01-31: ISO weeks from Mon 2027-11-29 to Mon 2028-01-31 -> 10 weeks
    assert budgets["Transport"] == "70.00"
    assert report["overall"] == {"spent": "0.00", "budget": None, "remaining": None}


async def test_a_one_day_range_counts_one_period_of_each(client):
    account = await signup(client)
    c = await category_ids(client, account)
    await _budget(client, account, "100", "2026-01-01", c["Food"], "monthly")
    await _budget(client, account, "10", "2026-01-01", c["Transport"], "weekly")
    await _budget(client, account, "365", "2026-01-01", c["Bills"], "yearly")
    report = (await client.get("/reports/spending", headers=account.headers,
                               params={"from": "2026-06-01", "to": "2026-06-01"})).json()
    budgets = {line["name"]: line["budget"] for line in report["categories"]}
    assert (budgets["Food"], budgets["Transport"], budgets["Bills"]) == ("100.00", "10.00", "1.00")


@pytest.mark.parametrize("params", [
    {"from": "2026-04-01", "to": "2026-03-01"},
    {"from": "2026-04-01"},
    {"to": "2026-04-01"},
    {"from": "2026-13-01", "to": "2026-12-31"},
    {"from": "2000-01-01", "to": "2026-12-31"},
])
async def test_bad_spending_ranges_are_400(client, params):
    account = await signup(client)
    assert_problem(await client.get("/reports/spending", headers=account.headers, params=params), 400)


async def test_monthly_report(client):
    account = await signup(client)
    c = await category_ids(client, account)
    for cat, amount, day in [
        ("Food", "10.00", "2026-01-05"), ("Food", "2.50", "2026-01-31"), ("Bills", "80.00", "2026-01-15"),
        ("Food", "4.00", "2026-03-01"), ("Health", "1.11", "2026-12-31"),
        ("Food", "1000.00", "2025-12-31"), ("Food", "1000.00", "2027-01-01"),  # other years
    ]:
        await add_expense(client, account, c[cat], amount=amount, spent_on=day)
    other = await signup(client)
    await add_expense(client, other, (await category_ids(client, other))["Food"], amount="9.99",
                      spent_on="2026-01-10")

    report = (await client.get("/reports/monthly", headers=account.headers, params={"year": 2026})).json()
    assert report["year"] == 2026 and report["total"] == "97.61"
    months = {m["month"]: m for m in report["months"]}
    assert sorted(months) == list(range(1, 13))
    assert (months[1]["total"], months[1]["expense_count"]) == ("92.50", 3)
    assert [(x["name"], x["total"]) for x in months[1]["categories"]] == [("Bills", "80.00"), ("Food", "12.50")]
    assert (months[2]["total"], months[2]["categories"]) == ("0.00", [])
    assert months[3]["total"] == "4.00" and months[12]["total"] == "1.11"
    assert [(x["name"], x["total"], x["expense_count"]) for x in report["categories"]] == [
        ("Bills", "80.00", 1), ("Food", "16.50", 3), ("Health", "1.11", 1)]


async def test_monthly_report_needs_a_valid_year(client):
    account = await signup(client)
    for params in [{}, {"year": "twenty"}, {"year": 0}, {"year": 10000}]:
        assert_problem(await client.get("/reports/monthly", headers=account.headers, params=params), 400)
