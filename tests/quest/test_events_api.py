from datetime import UTC, datetime, timedelta

import pytest

from tests.helpers import assert_problem, signup
from tests.quest.support import connect, push, walk


async def seed_events(client, account):
    github = await connect(client, account)
    fitbit = await connect(client, account, provider="fitbit", external_account_id=f"FB-{account.id}")
    base = datetime(2024, 5, 10, 12, tzinfo=UTC)
    for i in range(5):
        await push(client, github["external_account_id"], i + 1, when=base + timedelta(hours=i))
    for day in ("2024-05-09", "2024-05-11"):
        await walk(client, fitbit["external_account_id"], 1000, day=day)


async def test_events_are_listed_newest_first_with_keyset_pages(client):
    account = await signup(client)
    await seed_events(client, account)
    seen, cursor = [], None
    while True:
        params = {"limit": 3} | ({"before": cursor} if cursor else {})
        page = (await client.get("/events", headers=account.headers, params=params)).json()
        seen += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 7 and len({e["id"] for e in seen}) == 7
    keys = [(e["occurred_at"], e["id"]) for e in seen]
    assert keys == sorted(keys, reverse=True)
    assert set(seen[0]) == {"id", "kind", "value", "occurred_at", "metadata", "raw_event_id", "created_at"}


async def test_events_filter_by_kind_and_time(client):
    account = await signup(client)
    await seed_events(client, account)
    steps = (await client.get("/events", headers=account.headers, params={"kind": "steps"})).json()["items"]
    assert [e["value"] for e in steps] == [1000, 1000] and {e["kind"] for e in steps} == {"steps"}
    window = (await client.get("/events", headers=account.headers, params={
        "from": "2024-05-10T13:00:00Z", "to": "2024-05-10T15:00:00Z"})).json()["items"]
    assert [e["value"] for e in window] == [3, 2]  # from inclusive, to exclusive
    naive = (await client.get("/events", headers=account.headers, params={
        "from": "2024-05-10T13:00:00", "to": "2024-05-10T15:00:00", "kind": "commits"})).json()["items"]
    assert naive == window


@pytest.mark.parametrize("params", [
    {"kind": "pushups"}, {"limit": 0}, {"limit": 201}, {"before": "garbage!"}, {"from": "not-a-time"},
])
async def test_bad_event_queries_are_400(client, params):
    account = await signup(client)
    assert_problem(await client.get("/events", headers=account.headers, params=params), 400)


async def test_events_are_private(client):
    alice, bob = await signup(client), await signup(client)
    await seed_events(client, alice)
    assert (await client.get("/events", headers=bob.headers)).json() == {"items": [], "next_cursor": None}
    assert_problem(await client.get("/events"), 401)
