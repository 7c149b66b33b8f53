"""Helpers for quest tests: pets, integrations and signed webhook deliveries through the real API."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

import msgspec

from service.config import load_settings
from service.quest.providers import sign

SETTINGS = load_settings(environ={})  # the development webhook secrets the test app uses
_ids = itertools.count(1)
ACCESS_TOKEN = "gho_SECRET_access_token_1234567890"
REFRESH_TOKEN = "ghr_SECRET_refresh_token_0987654321"


def new_id() -> int:
    return next(_ids)


async def create_pet(client: Any, account: Any, **body: Any) -> dict[str, Any]:
    response = await client.post("/pets", headers=account.headers, json={"name": "Mochi", **body})
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def connect(client: Any, account: Any, provider: str = "github", external_account_id: str | None = None,
                  **extra: Any) -> dict[str, Any]:
    body = {"provider": provider, "external_account_id": external_account_id or str(900000 + new_id()),
            "access_token": ACCESS_TOKEN, "refresh_token": REFRESH_TOKEN, "scopes": ["repo"], **extra}
    response = await client.post("/integrations", headers=account.headers, json=body)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def push_payload(sender_id: str, commits: int, when: datetime | None = None, distinct: bool = True) -> dict[str, Any]:
    when = when or datetime.now(UTC)
    shas = [f"{new_id():040x}" for _ in range(commits)]
    return {
        "ref": "refs/heads/main", "before": "0" * 40, "after": shas[-1] if shas else "0" * 40,
        "repository": {"id": 1, "name": "repo", "full_name": "someone/repo"},
        "pusher": {"name": "someone", "email": "someone@example.com"},
        "sender": {"login": "someone", "id": int(sender_id)},
        "commits": [{"id": sha, "message": "work", "timestamp": when.isoformat(), "distinct": distinct,
                     "author": {"name": "Someone", "email": "someone@example.com"}} for sha in shas],
        "head_commit": {"id": shas[-1], "timestamp": when.isoformat()} if shas else None,
    }


def github_request(payload: dict[str, Any], delivery: str | None = None, event: str = "push",
                   secret: str | None = None) -> tuple[bytes, dict[str, str]]:
    body = msgspec.json.encode(payload)
    headers = {"X-GitHub-Event": event, "X-GitHub-Delivery": delivery or f"delivery-{new_id()}",
               "X-Hub-Signature-256": sign(secret or SETTINGS.webhook_secret("github") or "", body),
               "Content-Type": "application/json"}
    return body, headers


def fitbit_request(owner_id: str, steps: int, day: str, activity_id: str | None = None) -> tuple[bytes, dict[str, str]]:
    body = msgspec.json.encode({"id": activity_id or f"act-{new_id()}", "owner_id": owner_id, "date": day,
                                "steps": steps})
    return body, {"X-Fitbit-Signature-256": sign(SETTINGS.webhook_secret("fitbit") or "", body),
                  "Content-Type": "application/json"}


async def push(client: Any, sender_id: str, commits: int, **kwargs: Any) -> dict[str, Any]:
    body, headers = github_request(push_payload(sender_id, commits, **kwargs))
    response = await client.post("/webhooks/github", content=body, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


async def walk(client: Any, owner_id: str, steps: int, day: str | None = None) -> dict[str, Any]:
    body, headers = fitbit_request(owner_id, steps, day or datetime.now(UTC).date().isoformat())
    response = await client.post("/webhooks/fitbit", content=body, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]
