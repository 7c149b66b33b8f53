"""Demo data of the expense tracker: default categories for every demo user, a month of
expenses and monthly budgets for Alice and Bob.  Idempotent: categories are inserted
with ON CONFLICT DO NOTHING, expenses and budgets only for a user who has none yet.

The month is the 30 days up to the day the seed runs, so the reports show something
current; the amounts and descriptions are fixed.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from service.db.queries import Connection
from service.expenses import repo

# (days ago, category, amount, description, payment method, tags)
_ALICE = [
    (29, "Bills", "1250.00", "Rent", "bank transfer", ["home"]),
    (28, "Food", "64.20", "Groceries", "card", ["weekly"]),
    (27, "Transport", "2.90", "Bus to work", "card", ["commute"]),
    (25, "Food", "12.40", "Lunch with team", "card", ["work"]),
    (24, "Entertainment", "15.99", "Streaming subscription", "card", ["subscription"]),
    (22, "Health", "35.00", "Pharmacy", "card", []),
    (21, "Food", "58.75", "Groceries", "card", ["weekly"]),
    (19, "Shopping", "89.00", "Running shoes", "card", ["sport"]),
    (17, "Transport", "45.00", "Fuel", "card", ["car"]),
    (15, "Bills", "62.30", "Electricity", "direct debit", ["home", "utility"]),
    (14, "Food", "71.10", "Groceries", "card", ["weekly"]),
    (12, "Entertainment", "28.00", "Concert ticket", "card", ["fun"]),
    (10, "Food", "23.50", "Dinner with Bob", "cash", ["fun"]),
    (8, "Bills", "39.99", "Phone plan", "direct debit", ["utility"]),
    (7, "Food", "66.80", "Groceries", "card", ["weekly"]),
    (5, "Health", "60.00", "Gym membership", "direct debit", ["sport", "subscription"]),
    (3, "Shopping", "24.99", "Book", "card", []),
    (1, "Food", "9.80", "Coffee and croissant", "card", []),
]
_BOB = [
    (29, "Bills", "980.00", "Rent", "bank transfer", ["home"]),
    (27, "Food", "42.15", "Groceries", "card", ["weekly"]),
    (26, "Transport", "120.00", "Monthly train pass", "card", ["commute"]),
    (23, "Entertainment", "59.99", "Video game", "card", ["fun"]),
    (20, "Food", "38.60", "Groceries", "card", ["weekly"]),
    (18, "Health", "20.00", "Dentist co-pay", "card", []),
    (16, "Food", "31.00", "Pizza night", "cash", ["fun"]),
    (13, "Food", "44.25", "Groceries", "card", ["weekly"]),
    (11, "Bills", "54.10", "Internet", "direct debit", ["utility"]),
    (9, "Shopping", "149.00", "Headphones", "card", []),
    (6, "Food", "47.90", "Groceries", "card", ["weekly"]),
    (4, "Transport", "18.50", "Taxi", "card", []),
    (2, "Entertainment", "12.00", "Cinema", "card", ["fun"]),
]
# monthly budgets: (category or None for all spending, amount)
_BUDGETS = {
    "alice": [(None, "2500.00"), ("Food", "400.00"), ("Transport", "120.00"), ("Entertainment", "80.00")],
    "bob": [(None, "2000.00"), ("Food", "300.00"), ("Shopping", "100.00")],
}


async def _category_ids(conn: Connection, user_id: UUID) -> dict[str, UUID]:
    return {c.name: c.id for c in await repo.list_categories(conn, user_id, None, 200)}


async def _seed_user(conn: Connection, user_id: UUID, rows: list[tuple[Any, ...]], budgets: list[tuple[Any, ...]],
                     today: date) -> None:
    categories = await _category_ids(conn, user_id)
    if await repo.count_expenses(conn, user_id) == 0:
        await repo.import_expenses(conn, user_id, [
            {"row_index": i, "category_id": str(categories[cat]), "amount": amount,
             "spent_on": (today - timedelta(days=ago)).isoformat(), "description": description,
             "payment_method": method, "tags": tags}
            for i, (ago, cat, amount, description, method, tags) in enumerate(rows)
        ])
    if not await repo.list_budgets(conn, user_id, None, None, 1):
        start = (today - timedelta(days=30)).replace(day=1)  # the month of the first demo expense
        for category, amount in budgets:
            await repo.insert_budget(conn, user_id, categories[category] if category else None, Decimal(amount),
                                     "monthly", start, None)


async def seed(conn: Connection, users: dict[str, UUID], today: date | None = None) -> None:
    """Runs inside ``service.seed.seed``'s transaction."""
    today = today or date.today()
    for user_id in users.values():
        await repo.create_default_categories(conn, user_id)
    for key, rows in (("alice", _ALICE), ("bob", _BOB)):
        if key in users:
            await _seed_user(conn, users[key], rows, _BUDGETS[key], today)
