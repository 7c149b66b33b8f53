"""Issue #13 §3 / #18: a deleted account's access token is a 401 on every protected route (from the
route table), at once, with the Bearer challenge; another account's token still gets in."""

from __future__ import annotations

from typing import Any

from litestar import Litestar

from tests.helpers import signup
from tests.security.test_auth_scheme import INT_PARAMS
from tests.security.test_isolation_matrix import _PARAM, body_for, protected_routes, request


async def test_a_deleted_accounts_token_is_401_on_every_protected_route(client: Any, app: Litestar) -> None:
    gone, stays = await signup(client), await signup(client)
    assert (await client.delete("/me", headers=gone.headers)).status_code == 204
    failures: list[str] = []
    routes = protected_routes(app)
    for method, path, takes_body in routes:
        url = _PARAM.sub(lambda m: "1" if m.group(1) in INT_PARAMS else "00000000-0000-0000-0000-000000000001",
                         path)
        body = body_for(method, path, takes_body)
        response = await request(client, method, url, gone.headers, body)
        if response.status_code != 401 or not response.headers.get("www-authenticate", "").startswith("Bearer"):
            failures.append(f"{method} {url}: {response.status_code}")
    assert not failures, "\n".join(failures)
    assert len(routes) >= 55, len(routes)
    assert (await client.get("/me", headers=stays.headers)).status_code == 200
