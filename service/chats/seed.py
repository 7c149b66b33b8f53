"""The chat part of ``db seed``: the Lattice demo's solo and group chats.

Alice's solo chat holds a short AI exchange (thinking steps, a tracker
action, drawer data); the group chat of Alice, Bob and Charlie holds a
split-bill message and a context with a total spend.  Each chat is looked
up by owner, kind and title first, so seeding twice leaves one of each.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

from service.apps import repo as apps_repo
from service.apps.models import ASSISTANT_SCOPE
from service.chats import repo
from service.db.queries import Connection

DEMO_APP = "lattice-demo"
"""The demo's app client: the assistant's messages are written on its behalf, as the app's backend would."""
# A hash no secret verifies: the demo app writes only through the seed; `python -m service apps rotate
# lattice-demo` gives it a real secret for trying the client-credentials grant.
_UNUSABLE_SECRET_HASH = "!seeded; rotate to get a secret"  # noqa: S105 - not a secret, a non-hash

SOLO_TITLE = "Food delivery this month"
GROUP_TITLE = "Dinner at Luigi's"

SOLO_MESSAGES: list[tuple[str, str, list[Any], str, dict[str, Any] | None]] = [
    # (role, content, thinking, action, drawer_data)
    ("user", "How much did I spend on food delivery this month?", [], "none", None),
    ("assistant", "You spent $142.50 on DoorDash across 9 orders this month, about 20% more than last month.",
     ["Looking up your linked DoorDash account", "Summing this month's orders",
      "Comparing with last month"],
     "card", {"merchant": "DoorDash", "month_total": "142.50", "orders": 9, "change_vs_last_month": "+20%"}),
    ("user", "Can you keep me under $120 next month?", [], "none", None),
    ("assistant", "Done: I set a $120 monthly tracker for food delivery and will warn you at 80%.",
     ["Creating a monthly tracker for food delivery", "Setting an alert at 80% of $120"],
     "tracker", {"tracker": "Food delivery", "limit": "120.00", "period": "monthly", "alert_at": "0.80"}),
]


async def demo_app(conn: Connection) -> UUID:
    """The demo app client's id, created on first seed (active, scope chat:assistant)."""
    for client in await apps_repo.list_app_clients(conn):
        if client.name == DEMO_APP and client.revoked_at is None:
            return client.id
    return (await apps_repo.insert_app_client(conn, DEMO_APP, _UNUSABLE_SECRET_HASH, [ASSISTANT_SCOPE])).id


async def seed(conn: Connection, users: dict[str, UUID]) -> None:
    alice, bob, charlie = users["alice"], users["bob"], users["charlie"]
    app = await demo_app(conn)

    if await repo.find_owned_chat(conn, alice, "solo", SOLO_TITLE) is None:
        solo = await repo.create_chat(conn, alice, "solo", SOLO_TITLE, [])
        for role, content, thinking, action, drawer in SOLO_MESSAGES:
            if role == "assistant":
                await repo.post_assistant_message(conn, app, solo.id, content, thinking, action, drawer)
            else:
                await repo.post_message(conn, alice, solo.id, content, thinking, action, drawer)

    if await repo.find_owned_chat(conn, alice, "group", GROUP_TITLE) is None:
        group = await repo.create_chat(conn, alice, "group", GROUP_TITLE, [bob, charlie])
        await repo.post_message(conn, alice, group.id,
                                "Dinner came to $96.00 for the three of us. Can you split it?", [], "none", None)
        await repo.post_message(conn, bob, group.id, "Sounds good, I'm in.", [], "none", None)
        await repo.post_assistant_message(
            conn, app, group.id, "Split evenly, that's $32.00 each. Bob and Charlie owe Alice.",
            ["Reading the bill total: $96.00", "Three members in the chat", "96.00 / 3 = 32.00 each"],
            "split",
            {"total": "96.00", "currency": "USD", "paid_by": str(alice),
             "shares": [{"user_id": str(uid), "amount": "32.00"} for uid in (alice, bob, charlie)]},
        )
        await repo.set_context_summary(conn, alice, group.id, "Dinner at Luigi's, split evenly three ways.", None)
        await repo.add_spend(conn, alice, group.id, Decimal("96.00"))
