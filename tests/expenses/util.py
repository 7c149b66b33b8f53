"""Helpers for the expenses tests: categories by name, quick expense creation, table snapshots."""

from __future__ import annotations

from typing import Any

from tests.helpers import Account


async def category_ids(client: Any, account: Account) -> dict[str, str]:
    """The account's categories, name -> id."""
    response = await client.get("/categories", headers=account.headers)
    assert response.status_code == 200, response.text
    return {c["name"]: c["id"] for c in response.json()["items"]}


async def add_expense(client: Any, account: Account, category_id: str, amount: str = "10.00",
                      spent_on: str = "2026-03-10", **fields: Any) -> dict[str, Any]:
    body = {"category_id": category_id, "amount": amount, "spent_on": spent_on, **fields}
    response = await client.post("/expenses", headers=account.headers, json=body)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def snapshot(conn: Any) -> tuple[Any, ...]:
    """Everything the expenses domain stores, to prove a refused request changed nothing."""
    return tuple([
        [tuple(r) for r in await conn.fetch(f"SELECT * FROM {table} ORDER BY id")]  # noqa: S608 - fixed names
        for table in ("categories", "expenses", "budgets")
    ])
