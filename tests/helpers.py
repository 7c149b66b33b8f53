"""Small helpers for HTTP tests: sign up and sign in through the real API."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from litestar.testing import AsyncTestClient

_ids = itertools.count()
PASSWORD = "correct horse battery"


@dataclass
class Account:
    id: str
    email: str
    password: str
    access_token: str
    refresh_token: str
    headers: dict[str, str] = field(default_factory=dict)


async def signup(client: AsyncTestClient[Any], email: str | None = None, password: str = PASSWORD,
                 **profile: Any) -> Account:
    """Register and log in; the Account carries the bearer headers."""
    email = email or f"user{next(_ids)}@example.com"
    response = await client.post("/auth/register", json={"email": email, "password": password, **profile})
    assert response.status_code == 201, response.text
    user = response.json()
    tokens = await login(client, email, password)
    return Account(id=user["id"], email=user["email"], password=password,
                   access_token=tokens["access_token"], refresh_token=tokens["refresh_token"],
                   headers={"Authorization": f"Bearer {tokens['access_token']}"})


async def login(client: AsyncTestClient[Any], email: str, password: str) -> dict[str, Any]:
    response = await client.post("/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    """The response is an RFC 9457 problem document with this status."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    body = response.json()
    assert body["status"] == status
    assert {"type", "title", "detail"} <= body.keys()
    return body  # type: ignore[no-any-return]
