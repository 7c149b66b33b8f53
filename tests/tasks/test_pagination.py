"""GET /tasks keyset pages: every row once, newest first, stable while rows are added."""

from __future__ import annotations

from tests.helpers import signup
from tests.tasks.test_tasks import make_task


async def walk(client, account, limit, **params):
    seen, cursor, pages = [], None, 0
    while True:
        query = {"limit": limit, **params} | ({"before": cursor} if cursor else {})
        response = await client.get("/tasks", headers=account.headers, params=query)
        assert response.status_code == 200, response.text
        body = response.json()
        assert len(body["items"]) <= limit
        seen += body["items"]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return seen, pages


async def test_pages_cover_every_task_once_newest_first(client):
    alice = await signup(client)
    created = [(await make_task(client, alice, f"task {i}"))["id"] for i in range(7)]
    seen, pages = await walk(client, alice, 3)
    assert [t["id"] for t in seen] == list(reversed(created))
    assert pages == 3


async def test_an_exact_multiple_of_the_limit_ends_with_a_null_cursor(client):
    alice = await signup(client)
    for i in range(4):
        await make_task(client, alice, f"task {i}")
    seen, pages = await walk(client, alice, 2)
    assert len(seen) == 4 and pages == 2


async def test_filtered_pages_cover_every_matching_task_once(client):
    alice = await signup(client)
    ids = [(await make_task(client, alice, f"task {i}"))["id"] for i in range(9)]
    done = ids[::2]
    for task_id in done:
        await client.patch(f"/tasks/{task_id}", headers=alice.headers, json={"completed": True})
    completed, _ = await walk(client, alice, 2, completed="true")
    still_open, _ = await walk(client, alice, 2, completed="false")
    assert [t["id"] for t in completed] == sorted(done, reverse=True)
    assert [t["id"] for t in still_open] == sorted(set(ids) - set(done), reverse=True)


async def test_tasks_added_between_pages_neither_repeat_nor_hide_older_rows(client):
    alice = await signup(client)
    ids = [(await make_task(client, alice, f"task {i}"))["id"] for i in range(6)]
    first = (await client.get("/tasks", headers=alice.headers, params={"limit": 3})).json()
    await make_task(client, alice, "newer")
    rest = (await client.get("/tasks", headers=alice.headers,
                             params={"limit": 3, "before": first["next_cursor"]})).json()
    walked = [t["id"] for t in first["items"] + rest["items"]]
    assert walked == list(reversed(ids))
    assert rest["next_cursor"] is None


async def test_pages_never_show_another_users_tasks(client):
    alice = await signup(client)
    bob = await signup(client)
    for i in range(3):
        await make_task(client, alice, f"alice {i}")
        await make_task(client, bob, f"bob {i}")
    seen, _ = await walk(client, alice, 2)
    assert [t["title"] for t in seen] == ["alice 2", "alice 1", "alice 0"]
