"""`db seed` gives Alice, Bob and Charlie their demo tasks once, visible through the API."""

from __future__ import annotations

from service.accounts.passwords import Passwords
from service.seed import DEMO_PASSWORD, seed
from service.tasks.seed import DEMO_TASKS
from tests.helpers import login


async def test_seed_creates_each_users_tasks_once(client, conn, settings):
    passwords = Passwords(settings)
    users = await seed(conn, passwords)
    await seed(conn, passwords)
    rows = await conn.fetch("SELECT user_id, title, description, completed FROM tasks ORDER BY id")
    expected = sorted((users[key], *task) for key, tasks in DEMO_TASKS.items() for task in tasks)
    assert sorted(tuple(r) for r in rows) == expected
    tokens = await login(client, "alice@demo.com", DEMO_PASSWORD)
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    listed = (await client.get("/tasks", headers=headers, params={"completed": "true"})).json()["items"]
    assert [t["title"] for t in listed] == ["Pay the electricity bill"]
