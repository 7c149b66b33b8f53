"""Alice's demo linked accounts (Amazon, DoorDash, as in the Lattice seed); idempotent by Knot item id."""

from __future__ import annotations

from uuid import UUID

from service.db.queries import Connection
from service.linked_accounts import repo

# (institution, account name, permissions, knot item id)
DEMO_LINKED_ACCOUNTS = [
    ("Amazon", "Alice's Amazon", ["transactions", "orders"], "demo-knot-alice-amazon"),
    ("DoorDash", "Alice's DoorDash", ["transactions"], "demo-knot-alice-doordash"),
]


async def seed(conn: Connection, users: dict[str, UUID]) -> None:
    alice = users["alice"]
    existing = {row.knot_item_id for row in await repo.list_linked_accounts(conn, alice, None, None, 200)}
    for institution, account_name, permissions, knot_item_id in DEMO_LINKED_ACCOUNTS:
        if knot_item_id not in existing:
            await repo.insert_linked_account(conn, alice, institution, account_name, permissions, knot_item_id)
