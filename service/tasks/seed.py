"""Demo tasks for Alice, Bob and Charlie (the Phase III seed's examples); idempotent by title."""

from __future__ import annotations

from uuid import UUID

from service.db.queries import Connection
from service.tasks import repo

# user key -> [(title, description, completed)]
DEMO_TASKS: dict[str, list[tuple[str, str | None, bool]]] = {
    "alice": [
        ("Buy groceries", "Milk, eggs, bread", False),
        ("Pay the electricity bill", None, True),
        ("Plan the weekend trip", "Book the cabin and split the cost with Bob and Charlie", False),
    ],
    "bob": [
        ("Call the dentist", None, False),
        ("Return the Amazon parcel", "Label is in the email from Monday", True),
    ],
    "charlie": [
        ("Finish onboarding", None, False),
        ("Read the budgeting guide", None, False),
    ],
}


async def seed(conn: Connection, users: dict[str, UUID]) -> None:
    for key, tasks in DEMO_TASKS.items():
        user_id = users[key]
        existing = {task.title for task in await repo.list_tasks(conn, user_id, None, 200)}
        for title, description, completed in tasks:
            if title in existing:
                continue
            task = await repo.insert_task(conn, user_id, title, description)
            if completed:
                await repo.update_task(conn, user_id, task.id, False, None, False, None, True, True, None)
