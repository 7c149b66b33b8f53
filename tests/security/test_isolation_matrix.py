"""Isolation and authentication, generated from the app's route table (a new route is covered by itself).

- User B, who shares nothing with user A, calls every protected route that has
  a path parameter, on every method, with each of A's ids of the matching kind:
  always 404, exactly as for a missing id (B is in none of A's chats, so no
  membership is visible and no 403 is expected).  Afterwards no row that does
  not name B has changed: A's data is untouched.
- Every protected route, called with no token, an expired one, one signed with
  another key and an ``alg: none`` one, is a 401.

Writes carry a valid body from ``EXAMPLE_BODIES`` so they reach the ownership
check, not a 400; a route that takes a body and has no example here FAILS
the test, and so does a path parameter with no ids in ``build_world``.
"""

from __future__ import annotations

import base64
import itertools
import json
import re
import time
from typing import Any

import jwt
from litestar import Litestar

from service.http.openapi import is_public, route_table
from tests.helpers import signup
from tests.security.world import build_world

EXAMPLE_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("PATCH", "/me"): {"display_name": "B"},
    ("POST", "/me/password"): {"current_password": "wrong password", "new_password": "another password"},
    ("POST", "/chats"): {"kind": "solo"},
    ("PATCH", "/chats/{chat_id}"): {"title": "taken over"},
    ("POST", "/chats/{chat_id}/members"): {"email": "someone@example.com"},
    ("PATCH", "/chats/{chat_id}/members/{user_id}"): {"role": "member"},
    ("POST", "/chats/{chat_id}/messages"): {"content": "hi"},
    ("PATCH", "/chats/{chat_id}/messages/{message_id}"): {"content": "taken over"},
    ("PUT", "/chats/{chat_id}/context"): {"context_summary": "taken over"},
    ("POST", "/chats/{chat_id}/context/spend"): {"amount": "1.00"},
    ("POST", "/chats/{chat_id}/ledger"): {"description": "taken over", "amount": "1.00"},
    ("POST", "/chats/{chat_id}/settlements"): {"to_user_id": "00000000-0000-0000-0000-000000000000",
                                               "amount": "1.00"},
    ("POST", "/tasks"): {"title": "t"},
    ("POST", "/tasks/batch"): {"tasks": [{"title": "t"}]},
    ("PATCH", "/tasks/{task_id}"): {"title": "taken over", "completed": True},
    ("POST", "/linked-accounts"): {"institution": "B", "account_name": "B", "knot_item_id": "b-knot"},
    ("POST", "/categories"): {"name": "B"},
    ("PATCH", "/categories/{category_id}"): {"name": "taken over"},
    ("POST", "/expenses"): {"category_id": "00000000-0000-0000-0000-000000000000", "amount": "1.00",
                            "spent_on": "2026-01-01"},
    ("PATCH", "/expenses/{expense_id}"): {"amount": "99.99"},
    ("POST", "/expenses/import"): {"expenses": [{"category_id": "00000000-0000-0000-0000-000000000000",
                                                 "amount": "1.00", "spent_on": "2026-01-01"}]},
    ("POST", "/budgets"): {"amount": "1.00", "start_date": "2026-01-01"},
    ("PATCH", "/budgets/{budget_id}"): {"amount": "99.99"},
    ("POST", "/pets"): {"name": "B"},
    ("PATCH", "/pets/{pet_id}"): {"name": "taken over", "state": {"energy": 0}},
    ("PATCH", "/integrations/{integration_id}"): {"access_token": "stolen"},
    ("POST", "/integrations"): {"provider": "fitbit", "external_account_id": "b", "access_token": "t"},
    ("POST", "/goals"): {"title": "B", "metric_kind": "steps", "target": 1},
    ("PATCH", "/goals/{goal_id}"): {"title": "taken over", "status": "archived"},
}
_PARAM = re.compile(r"{(\w+)}")


def protected_routes(app: Litestar) -> list[tuple[str, str, bool]]:
    """(method, path template, takes a body) of every route that needs a bearer token."""
    return sorted((method, path, "data" in handler.parsed_fn_signature.parameters)
                  for (method, path), handler in route_table(app).items() if not is_public(handler))


def body_for(method: str, path: str, takes_body: bool) -> dict[str, Any] | None:
    if not takes_body:
        return None
    assert (method, path) in EXAMPLE_BODIES, (
        f"{method} {path} takes a body but has no example in EXAMPLE_BODIES: add a valid one")
    return EXAMPLE_BODIES[(method, path)]


async def request(client: Any, method: str, url: str, headers: dict[str, str], body: Any) -> Any:
    if body is None:
        return await client.request(method, url, headers=headers)
    return await client.request(method, url, headers=headers, json=body)


async def snapshot(conn: Any) -> dict[str, set[str]]:
    """Every row of every table, as JSON text."""
    tables = await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    rows: dict[str, set[str]] = {}
    for (table,) in tables:
        # identifiers come from the catalog, not from input
        records = await conn.fetch(f'SELECT to_jsonb(t)::text FROM "{table}" AS t')  # noqa: S608
        rows[table] = {r[0] for r in records}
    return rows


def test_every_body_example_names_a_real_route(app: Litestar) -> None:
    """Stale examples would hide a renamed route; every example must match a route that takes a body."""
    with_body = {(m, p) for m, p, takes_body in protected_routes(app) if takes_body}
    assert set(EXAMPLE_BODIES) <= with_body, set(EXAMPLE_BODIES) - with_body


async def test_user_b_gets_404_for_every_id_of_user_a_on_every_route(client, conn, app: Litestar) -> None:
    a = await signup(client)
    friend = await signup(client)
    b = await signup(client)
    ids = await build_world(client, a.headers, friend.id)
    ids["user_id"] = [a.id, friend.id]
    before = await snapshot(conn)

    calls = 0
    outcomes: list[str] = []
    for method, path, takes_body in protected_routes(app):
        names = _PARAM.findall(path)
        if not names:
            continue
        body = body_for(method, path, takes_body)
        missing = [name for name in names if name not in ids]
        assert not missing, f"{method} {path}: no ids for {missing}; add that resource to build_world"
        for values in itertools.product(*(ids[name] for name in names)):
            url = path
            for name, value in zip(names, values, strict=True):
                url = url.replace("{" + name + "}", str(value))
            response = await request(client, method, url, b.headers, body)
            calls += 1
            if response.status_code != 404:
                outcomes.append(f"{method} {url}: {response.status_code} {response.text[:200]}")
    assert not outcomes, "B reached A's resources:\n" + "\n".join(outcomes)
    assert calls >= 50, calls

    after = await snapshot(conn)
    for table in before:
        changed = before[table] ^ after[table]
        not_bs = [row for row in changed if b.id not in row]
        assert not not_bs, f"{table}: rows that are not B's changed: {not_bs[:3]}"


def _token(secret: str, claims: dict[str, Any], algorithm: str = "HS256") -> str:
    return jwt.encode(claims, secret, algorithm=algorithm)


def _alg_none(claims: dict[str, Any]) -> str:
    def part(obj: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()
    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


async def test_every_protected_route_refuses_missing_expired_and_forged_tokens(client, app: Litestar,
                                                                                settings) -> None:
    a = await signup(client)
    now = int(time.time())
    claims = {"sub": a.id, "iat": now, "exp": now + 600}
    bad_tokens = {
        "expired": _token(settings.jwt_secret, {**claims, "iat": now - 1200, "exp": now - 600}),
        "other key": _token("x" * 64, claims),
        "alg none": _alg_none(claims),
        "garbage": "not-a-jwt",
    }
    failures: list[str] = []
    routes = protected_routes(app)
    for method, path, takes_body in routes:
        url = _PARAM.sub("00000000-0000-0000-0000-000000000001", path).replace(
            "/tasks/00000000-0000-0000-0000-000000000001", "/tasks/1").replace(
            "/ledger/00000000-0000-0000-0000-000000000001", "/ledger/1").replace(
            "/messages/00000000-0000-0000-0000-000000000001", "/messages/1")
        body = body_for(method, path, takes_body)
        variants: dict[str, dict[str, str]] = {"no token": {}}
        variants.update({name: {"Authorization": f"Bearer {token}"} for name, token in bad_tokens.items()})
        for name, headers in variants.items():
            response = await request(client, method, url, headers, body)
            if response.status_code != 401:
                failures.append(f"{method} {url} with {name}: {response.status_code}")
    assert not failures, "\n".join(failures)
    assert len(routes) >= 55, len(routes)
    # the same claims, properly signed, do get in: the 401s above are about the token alone
    good = _token(settings.jwt_secret, claims)
    assert (await client.get("/me", headers={"Authorization": f"Bearer {good}"})).status_code == 200
