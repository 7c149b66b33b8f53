"""Every single-resource write route honours If-Match: walked from the served OpenAPI document.

For each PATCH/PUT/DELETE whose path has a parameter (and /me), against a real resource
of the caller: a stale tag is 412 with the current ETag and changes nothing; a malformed
If-Match is 400; the tag from a GET (or the 412) then lets the write through, so the
412 was the precondition and not some other refusal.  A route added later without a
body below fails the test, so the walk stays complete.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from service.app import create_app
from service.config import Settings
from tests.chats.util import group_of
from tests.expenses.util import add_expense, category_ids
from tests.helpers import Account, assert_problem, signup
from tests.quest.support import connect

WRITES = {"patch", "put", "delete"}
BODIES: dict[tuple[str, str], dict[str, Any] | None] = {
    ("patch", "/me"): {"display_name": "changed"},
    ("delete", "/me"): None,
    ("patch", "/chats/{chat_id}"): {"title": "changed"},
    ("delete", "/chats/{chat_id}"): None,
    ("patch", "/chats/{chat_id}/members/{user_id}"): {"role": "admin"},
    ("delete", "/chats/{chat_id}/members/{user_id}"): None,
    ("put", "/chats/{chat_id}/context"): {"context_summary": "changed"},
    ("patch", "/chats/{chat_id}/messages/{message_id}"): {"content": "changed"},
    ("delete", "/chats/{chat_id}/messages/{message_id}"): None,
    ("patch", "/tasks/{task_id}"): {"title": "changed"},
    ("delete", "/tasks/{task_id}"): None,
    ("patch", "/categories/{category_id}"): {"name": "Changed"},
    ("delete", "/categories/{category_id}"): None,
    ("patch", "/expenses/{expense_id}"): {"notes": "changed"},
    ("delete", "/expenses/{expense_id}"): None,
    ("patch", "/budgets/{budget_id}"): {"amount": "12.00"},
    ("delete", "/budgets/{budget_id}"): None,
    ("patch", "/goals/{goal_id}"): {"title": "changed"},
    ("delete", "/goals/{goal_id}"): None,
    ("patch", "/pets/{pet_id}"): {"name": "changed"},
    ("delete", "/pets/{pet_id}"): None,
    ("delete", "/linked-accounts/{linked_account_id}"): None,
    ("patch", "/integrations/{integration_id}"): {"scopes": ["repo", "user"]},
    ("delete", "/integrations/{integration_id}"): None,
}
VERSIONED = ("users", "chats", "messages", "chat_members", "group_contexts", "tasks", "linked_accounts", "categories",
             "expenses", "budgets", "integrations", "pets", "goals")


async def _world(client: Any) -> tuple[Account, dict[str, str]]:
    owner, member = await signup(client), await signup(client)
    chat = await group_of(client, owner, member)
    categories = await category_ids(client, owner)
    spare = (await client.post("/categories", headers=owner.headers, json={"name": "Spare"})).json()
    budget = (await client.post("/budgets", headers=owner.headers,
                                json={"category_id": categories["Food"], "amount": "30",
                                      "start_date": "2026-01-01"})).json()
    goal = (await client.post("/goals", headers=owner.headers,
                              json={"title": "walk", "metric_kind": "steps", "target": 100})).json()
    linked = (await client.post("/linked-accounts", headers=owner.headers,
                                json={"institution": "Amazon", "account_name": "mine", "permissions": ["orders"],
                                      "knot_item_id": "knot-walk-1"})).json()
    ids = {
        "chat_id": chat["id"],
        "user_id": member.id,
        "message_id": str((await client.post(f"/chats/{chat['id']}/messages", headers=owner.headers,
                                             json={"content": "typo"})).json()["id"]),
        "task_id": str((await client.post("/tasks", headers=owner.headers, json={"title": "t"})).json()["id"]),
        "category_id": spare["id"],
        "expense_id": (await add_expense(client, owner, categories["Food"]))["id"],
        "budget_id": budget["id"],
        "goal_id": goal["id"],
        "pet_id": (await client.post("/pets", headers=owner.headers, json={"name": "Mochi"})).json()["id"],
        "linked_account_id": linked["id"],
        "integration_id": (await connect(client, owner))["id"],
    }
    return owner, ids


async def _state(conn: Any) -> list[Any]:
    return [tuple(await conn.fetchrow(f"SELECT count(*), coalesce(sum(version), 0) FROM {table}"))  # noqa: S608
            for table in VERSIONED]


@pytest.fixture
async def routed_client(route_settings: Settings) -> AsyncIterator[Any]:
    """The app straight to PostgreSQL, then through PgBouncer (transaction mode)."""
    async with AsyncTestClient(app=create_app(route_settings)) as client:
        yield client


async def test_every_write_route_honours_if_match(routed_client: Any, conn: Any) -> None:
    client = routed_client
    document = (await client.get("/schema/openapi.json")).json()
    operations = sorted((method, path) for path, item in document["paths"].items() for method in item
                        if method in WRITES and ("{" in path or path == "/me"))
    assert set(operations) == set(BODIES), "a write route without a body in BODIES (or one that is gone)"
    owner, ids = await _world(client)
    for method, template in sorted(operations, key=lambda op: (op[1] == "/me", op[0] == "delete", -op[1].count("/"))):
        path = re.sub(r"\{(\w+)\}", lambda m: ids[m.group(1)], template)
        body = BODIES[(method, template)]
        kwargs: dict[str, Any] = {} if body is None else {"json": body}
        before = await _state(conn)
        for malformed in ("", "v1", '"v1'):
            response = await client.request(method.upper(), path, headers={**owner.headers, "If-Match": malformed},
                                            **kwargs)
            assert_problem(response, 400)
        stale = await client.request(method.upper(), path, headers={**owner.headers, "If-Match": '"v9999"'}, **kwargs)
        assert_problem(stale, 412)
        assert re.fullmatch(r'"v\d+-[0-9a-f]{16}"', stale.headers.get("etag", "")), (method, template, stale.headers)
        assert await _state(conn) == before, (method, template)
        current = await client.request(method.upper(), path,
                                       headers={**owner.headers, "If-Match": stale.headers["etag"]}, **kwargs)
        assert current.status_code in (200, 204), (method, template, current.text)
