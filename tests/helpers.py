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


@dataclass
class AppCredentials:
    """An app client (python -m service apps create) and an access token from its client-credentials grant."""

    id: str
    name: str
    secret: str
    access_token: str
    scope: str
    headers: dict[str, str] = field(default_factory=dict)


async def create_app_client(conn: Any, name: str | None = None,
                            scopes: tuple[str, ...] = ("chat:assistant",)) -> tuple[str, str]:
    """A new app client, created as the CLI does: (client id, secret)."""
    from service.accounts.passwords import Passwords
    from service.apps import logic as apps_logic
    from service.config import load_settings

    passwords = Passwords(load_settings(environ={}, argon2_time_cost=1, argon2_memory_kib=1024,
                                        argon2_parallelism=1))
    client, secret = await apps_logic.create_client(conn, passwords, name or f"app-{next(_ids)}", list(scopes))
    return str(client.id), secret


async def app_token(client: AsyncTestClient[Any], client_id: str, secret: str,
                    scope: str | None = None) -> dict[str, Any]:
    """The client-credentials grant (form body, RFC 6749 4.4)."""
    form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    if scope is not None:
        form["scope"] = scope
    response = await client.post("/auth/token", data=form)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


async def app_signin(client: AsyncTestClient[Any], conn: Any, name: str | None = None,
                     scopes: tuple[str, ...] = ("chat:assistant",)) -> AppCredentials:
    """Create an app client and sign it in: its bearer headers post role assistant messages."""
    client_id, secret = await create_app_client(conn, name, scopes)
    token = await app_token(client, client_id, secret)
    return AppCredentials(id=client_id, name=name or "", secret=secret, access_token=token["access_token"],
                          scope=token["scope"], headers={"Authorization": f"Bearer {token['access_token']}"})


async def purge_deleted_accounts(conn: Any) -> int:
    """Runs the account_purge job's batch now (ACCOUNT_PURGE_DELAY 0): rows of deleted accounts go."""
    from service.jobs import repo as jobs_repo

    async with conn.transaction():
        assert await jobs_repo.try_lock(conn, "account_purge")
        return await jobs_repo.purge_deleted_users(conn, 0, 10_000)


async def delete_and_purge(conn: Any, user_id: Any) -> None:
    """DELETE /me and then the account_purge job's DELETE of the row, in the caller's open transaction:
    the race tests interleave writes with the row's deletion (its FK locks and cascades)."""
    from service.accounts import logic as accounts_logic

    await accounts_logic.delete_account(conn, user_id, None)
    await conn.execute("DELETE FROM users WHERE id = $1", user_id)
