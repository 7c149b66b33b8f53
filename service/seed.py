"""``db seed``: the source apps' demo world, idempotent.

Accounts first (Alice, Bob, Charlie with password ``password123``), then
each domain's part, all in one transaction.  Every step looks before it
writes, so running it twice leaves one demo world.
"""

from __future__ import annotations

from uuid import UUID

from service.accounts import logic as accounts_logic
from service.accounts import repo as accounts_repo
from service.accounts.passwords import Passwords
from service.chats import seed as chats_seed
from service.db.queries import Connection
from service.expenses import seed as expenses_seed
from service.linked_accounts import seed as linked_accounts_seed
from service.quest import seed as quest_seed
from service.tasks import seed as tasks_seed

DEMO_PASSWORD = "password123"  # noqa: S105 - the seeds' published demo password
DEMO_USERS = [
    # (key, email, username, display name, onboarding status)
    ("alice", "alice@demo.com", "alice", "Alice", "complete"),
    ("bob", "bob@test.com", "bob", "Bob", "complete"),
    ("charlie", "charlie@sample.com", "charlie", "Charlie", "incomplete"),
]


async def seed_users(conn: Connection, passwords: Passwords) -> dict[str, UUID]:
    ids: dict[str, UUID] = {}
    for key, email, username, display_name, onboarding in DEMO_USERS:
        existing = await accounts_repo.get_credentials_by_email(conn, email)
        if existing is not None:
            ids[key] = existing.id
            continue
        user = await accounts_repo.insert_user(conn, email, username, display_name,
                                               await passwords.hash(DEMO_PASSWORD))
        await accounts_logic.on_user_created(conn, user.id)
        await accounts_repo.update_profile(conn, user.id, False, None, False, None, False, None, True, onboarding, None)
        ids[key] = user.id
    return ids


async def seed(conn: Connection, passwords: Passwords) -> dict[str, UUID]:
    async with conn.transaction():
        users = await seed_users(conn, passwords)
        # Each domain adds its part here: await <domain>.seed.seed(conn, users)
        await chats_seed.seed(conn, users)
        await tasks_seed.seed(conn, users)
        await linked_accounts_seed.seed(conn, users)
        await expenses_seed.seed(conn, users)
        await quest_seed.seed(conn, users)
    return users
