"""One user's world, created through the API: one (or two) of every resource, ids keyed by path parameter.

``build_world`` works with any httpx-style async client (the in-process
test client or ``httpx.AsyncClient`` against a live server).
"""

from __future__ import annotations

import itertools
import os
from typing import Any

_seq = itertools.count()


async def _created(http: Any, path: str, headers: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    response = await http.post(path, json=body, headers=headers)
    assert response.status_code in (200, 201), (path, response.status_code, response.text)
    return response.json()  # type: ignore[no-any-return]


async def build_world(http: Any, headers: dict[str, str], friend_id: str) -> dict[str, list[str]]:
    """Every kind of resource the caller can own, and a group chat shared with ``friend_id``.

    Returns ids by the path parameter that names them (``chat_id``, ``task_id``...);
    ``user_id`` (a chat member) holds the friend's id.
    """
    n = f"{os.getpid()}-{next(_seq)}"
    solo = await _created(http, "/chats", headers, {"kind": "solo", "title": "solo"})
    group = await _created(http, "/chats", headers, {"kind": "group", "title": "group", "member_ids": [friend_id]})
    message_ids = [str((await _created(http, f"/chats/{chat['id']}/messages", headers, {"content": "hello"}))["id"])
                   for chat in (solo, group)]
    entry = await _created(http, f"/chats/{group['id']}/ledger", headers, {"description": "dinner", "amount": "30.00"})
    task = await _created(http, "/tasks", headers, {"title": "a task"})
    linked = await _created(http, "/linked-accounts", headers,
                            {"institution": "Bank", "account_name": "Checking", "knot_item_id": f"knot-{n}"})
    category = await _created(http, "/categories", headers, {"name": f"Cat {n}"})
    expense = await _created(http, "/expenses", headers,
                             {"category_id": category["id"], "amount": "12.50", "spent_on": "2026-01-15"})
    budget = await _created(http, "/budgets", headers,
                            {"category_id": category["id"], "amount": "100.00", "start_date": "2026-01-01"})
    pet = await _created(http, "/pets", headers, {"name": "Machi"})
    integration = await _created(http, "/integrations", headers,
                                 {"provider": "github", "external_account_id": f"gh-{n}", "access_token": "tok"})
    goal = await _created(http, "/goals", headers, {"title": "commit daily", "metric_kind": "commits", "target": 1})
    # An invitation to the caller's own email (issue #18), sent by the caller to their own group: 202.
    me = (await http.get("/me", headers=headers)).json()
    invited = await http.post(f"/chats/{group['id']}/members", json={"email": me["email"]}, headers=headers)
    assert invited.status_code == 202, invited.text
    return {
        "chat_id": [solo["id"], group["id"]],
        "user_id": [friend_id],
        "entry_id": [str(entry["id"])],
        "message_id": message_ids,
        "task_id": [str(task["id"])],
        "linked_account_id": [linked["id"]],
        "category_id": [category["id"]],
        "expense_id": [expense["id"]],
        "budget_id": [budget["id"]],
        "pet_id": [pet["id"]],
        "integration_id": [integration["id"]],
        "goal_id": [goal["id"]],
        "invitation_id": [invited.json()["id"]],
    }
