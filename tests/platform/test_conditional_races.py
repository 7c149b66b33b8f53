"""Lost updates are impossible with If-Match, directly and through PgBouncer (transaction mode).

Two requests holding the same ETag run at once through the real app (two HTTP clients,
``asyncio.gather``): the If-Match predicate is part of each UPDATE, so whichever row
lock comes second re-reads the row, finds another version and writes nothing.  Exactly
one 2xx and one 412 in every round, however the two interleave: no sleep, no hope.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from litestar.testing import AsyncTestClient

from service.app import create_app
from service.config import Settings
from tests.chats.util import group_of
from tests.helpers import Account, login, signup

ROUNDS = 100


@pytest.fixture
async def two_clients(route_settings: Settings) -> AsyncIterator[tuple[Any, Any]]:
    app = create_app(route_settings)
    async with AsyncTestClient(app=app) as first:
        # A second client on the first's transport: both reach the one app (and its pool) in its event loop.
        # Not entered or closed: the transport belongs to the first client.
        second = httpx.AsyncClient(transport=first._transport, base_url=first.base_url)
        yield first, second


async def _race(first: Any, second: Any, path: str, a: Account, b: Account, reader: Account,
                bodies: tuple[dict[str, Any], dict[str, Any]]) -> list[int]:
    tag = (await first.get(path, headers=reader.headers)).headers["etag"]
    results = await asyncio.gather(
        first.patch(path, headers={**a.headers, "If-Match": tag}, json=bodies[0]),
        second.patch(path, headers={**b.headers, "If-Match": tag}, json=bodies[1]),
    )
    return sorted(r.status_code for r in results)


async def test_owner_and_admin_renaming_with_one_tag_never_both_win(two_clients: tuple[Any, Any]) -> None:
    first, second = two_clients
    owner, admin = await signup(first), await signup(first)
    chat = await group_of(first, owner, admin)
    promoted = await first.patch(f"/chats/{chat['id']}/members/{admin.id}", headers=owner.headers,
                                 json={"role": "admin"})
    assert promoted.status_code == 200, promoted.text
    path = f"/chats/{chat['id']}"
    outcomes = [await _race(first, second, path, owner, admin, admin,
                            ({"title": f"owner {i}"}, {"title": f"admin {i}"})) for i in range(ROUNDS)]
    assert outcomes == [[200, 412]] * ROUNDS
    final = (await first.get(path, headers=owner.headers)).json()
    assert final["version"] == ROUNDS  # one write per round, none lost, none doubled
    assert final["title"] in (f"owner {ROUNDS - 1}", f"admin {ROUNDS - 1}")


async def test_two_tokens_of_one_user_on_a_task_never_both_win(two_clients: tuple[Any, Any]) -> None:
    first, second = two_clients
    user = await signup(first)
    tokens = await login(first, user.email, user.password)
    other_session = Account(user.id, user.email, user.password, tokens["access_token"], tokens["refresh_token"],
                            {"Authorization": f"Bearer {tokens['access_token']}"})
    task = (await first.post("/tasks", headers=user.headers, json={"title": "t"})).json()
    path = f"/tasks/{task['id']}"
    outcomes = [await _race(first, second, path, user, other_session, user,
                            ({"title": f"a {i}"}, {"completed": i % 2 == 0})) for i in range(ROUNDS)]
    assert outcomes == [[200, 412]] * ROUNDS
    assert (await first.get(path, headers=user.headers)).json()["version"] == ROUNDS


async def test_stale_tags_change_nothing_through_the_route(two_clients: tuple[Any, Any]) -> None:
    """The loser's write never reaches the row: title and version are the winner's."""
    first, second = two_clients
    user = await signup(first)
    task = (await first.post("/tasks", headers=user.headers, json={"title": "t"})).json()
    path = f"/tasks/{task['id']}"
    tag = (await first.get(path, headers=user.headers)).headers["etag"]
    won = await first.patch(path, headers={**user.headers, "If-Match": tag}, json={"title": "winner"})
    lost = await second.patch(path, headers={**user.headers, "If-Match": tag}, json={"title": "loser"})
    assert (won.status_code, lost.status_code) == (200, 412)
    assert lost.headers["etag"] == won.headers["etag"]
    assert (await first.get(path, headers=user.headers)).json()["title"] == "winner"
