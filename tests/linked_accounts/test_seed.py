"""`db seed` links Alice's Amazon and DoorDash accounts once."""

from __future__ import annotations

from service.accounts.passwords import Passwords
from service.seed import seed


async def test_seed_links_alices_accounts_once(conn, settings):
    passwords = Passwords(settings)
    users = await seed(conn, passwords)
    await seed(conn, passwords)
    rows = await conn.fetch("SELECT user_id, institution, permissions FROM linked_accounts ORDER BY institution")
    assert [(r["user_id"], r["institution"]) for r in rows] == [(users["alice"], "Amazon"),
                                                                (users["alice"], "DoorDash")]
    assert all(isinstance(r["permissions"], list) and r["permissions"] for r in rows)
