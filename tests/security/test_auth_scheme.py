"""Only ``Authorization: Bearer <token>`` authenticates, on every protected route (from the route table).

A valid access token sent under any other scheme (``Basic``, ``Token``, ``JWT``, none at all), in a
``token`` cookie, or with the scheme glued to it, is a 401 with ``WWW-Authenticate: Bearer``; the
same token as ``Bearer`` (any case) gets in.  Every 401 names the scheme.
"""

from __future__ import annotations

from typing import Any

from litestar import Litestar

from tests.helpers import signup
from tests.security.test_isolation_matrix import _PARAM, body_for, protected_routes, request

INT_PARAMS = {"task_id", "message_id", "entry_id"}


async def test_every_protected_route_refuses_a_valid_token_under_another_scheme(client: Any, app: Litestar) -> None:
    account = await signup(client)
    token = account.headers["Authorization"].removeprefix("Bearer ")
    variants = {
        "Basic": {"Authorization": f"Basic {token}"},
        "Token": {"Authorization": f"Token {token}"},
        "JWT": {"Authorization": f"JWT {token}"},
        "no scheme": {"Authorization": token},
        "scheme glued on": {"Authorization": f"Bearer{token}"},
        "two tokens": {"Authorization": f"Bearer {token} {token}"},
        "scheme only": {"Authorization": "Bearer"},
        "cookie": {"Cookie": f"token={token}"},
        "cookie with scheme": {"Cookie": f"token=Bearer {token}"},
    }
    failures: list[str] = []
    routes = protected_routes(app)
    for method, path, takes_body in routes:
        # integer ids (tasks, messages, ledger entries) get 1, the others a UUID: the route must match
        url = _PARAM.sub(lambda m: "1" if m.group(1) in INT_PARAMS else "00000000-0000-0000-0000-000000000001",
                         path)
        body = body_for(method, path, takes_body)
        for name, headers in variants.items():
            client.cookies.clear()
            response = await request(client, method, url, headers, body)
            challenge = response.headers.get("www-authenticate", "")
            if response.status_code != 401 or not challenge.startswith("Bearer"):
                failures.append(f"{method} {url} with {name}: {response.status_code} {challenge!r}")
            elif response.headers["content-type"] != "application/problem+json":
                failures.append(f"{method} {url} with {name}: {response.headers['content-type']}")
    assert not failures, "\n".join(failures)
    assert len(routes) >= 55, len(routes)
    # The very same token, as Bearer (the scheme is case-insensitive, RFC 9110 11.1), gets in.
    for scheme in ("Bearer", "bearer", "BEARER"):
        response = await client.get("/me", headers={"Authorization": f"{scheme} {token}"})
        assert response.status_code == 200, (scheme, response.text)


async def test_no_token_is_a_401_with_the_bearer_challenge(client: Any) -> None:
    response = await client.get("/me")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer realm="service"'
