"""/tasks: create, read, patch, delete, filters, isolation and cascade."""

from __future__ import annotations

import pytest

from tests.helpers import assert_problem, purge_deleted_accounts, signup


async def make_task(client, account, title="Buy groceries", **fields):
    response = await client.post("/tasks", headers=account.headers, json={"title": title, **fields})
    assert response.status_code == 201, response.text
    return response.json()


async def test_create_returns_the_task_with_defaults(client, conn):
    alice = await signup(client)
    task = await make_task(client, alice, description="Milk, eggs, bread")
    assert isinstance(task["id"], int)
    assert (task["title"], task["description"], task["completed"]) == ("Buy groceries", "Milk, eggs, bread", False)
    assert task["created_at"] == task["updated_at"]
    assert task["created_at"].endswith("Z") or task["created_at"].endswith("+00:00")
    row = await conn.fetchrow("SELECT user_id::text, title FROM tasks WHERE id = $1", task["id"])
    assert (row["user_id"], row["title"]) == (alice.id, "Buy groceries")


async def test_description_is_optional_and_sql_looking_text_is_stored_verbatim(client, conn):
    alice = await signup(client)
    assert (await make_task(client, alice))["description"] is None
    evil = "'); DROP TABLE tasks; --"
    task = await make_task(client, alice, title=evil, description="$1 OR 1=1")
    assert (task["title"], task["description"]) == (evil, "$1 OR 1=1")
    assert await conn.fetchval("SELECT title FROM tasks WHERE id = $1", task["id"]) == evil


async def test_get_one_and_list_newest_first(client):
    alice = await signup(client)
    first = await make_task(client, alice, "first")
    second = await make_task(client, alice, "second")
    assert (await client.get(f"/tasks/{first['id']}", headers=alice.headers)).json() == first
    body = (await client.get("/tasks", headers=alice.headers)).json()
    assert [t["title"] for t in body["items"]] == ["second", "first"]
    assert body["next_cursor"] is None
    assert body["items"][0] == second


async def test_list_filters_by_completed(client):
    alice = await signup(client)
    done = await make_task(client, alice, "done")
    await make_task(client, alice, "open")
    await client.patch(f"/tasks/{done['id']}", headers=alice.headers, json={"completed": True})
    completed = (await client.get("/tasks", headers=alice.headers, params={"completed": "true"})).json()
    still_open = (await client.get("/tasks", headers=alice.headers, params={"completed": "false"})).json()
    assert [t["title"] for t in completed["items"]] == ["done"]
    assert [t["title"] for t in still_open["items"]] == ["open"]


async def test_patch_changes_only_given_fields(client):
    alice = await signup(client)
    task = await make_task(client, alice, description="details")
    response = await client.patch(f"/tasks/{task['id']}", headers=alice.headers, json={"completed": True})
    assert response.status_code == 200
    patched = response.json()
    assert (patched["title"], patched["description"], patched["completed"]) == ("Buy groceries", "details", True)
    assert patched["updated_at"] > task["updated_at"]
    assert patched["created_at"] == task["created_at"]

    renamed = (await client.patch(f"/tasks/{task['id']}", headers=alice.headers,
                                  json={"title": "Buy bread", "description": None})).json()
    assert (renamed["title"], renamed["description"], renamed["completed"]) == ("Buy bread", None, True)
    unchanged = (await client.patch(f"/tasks/{task['id']}", headers=alice.headers, json={})).json()
    assert (unchanged["title"], unchanged["description"], unchanged["completed"]) == ("Buy bread", None, True)
    reopened = (await client.patch(f"/tasks/{task['id']}", headers=alice.headers, json={"completed": False})).json()
    assert reopened["completed"] is False


async def test_delete_removes_the_task(client, conn):
    alice = await signup(client)
    task = await make_task(client, alice)
    assert (await client.delete(f"/tasks/{task['id']}", headers=alice.headers)).status_code == 204
    assert await conn.fetchval("SELECT count(*) FROM tasks") == 0
    assert_problem(await client.get(f"/tasks/{task['id']}", headers=alice.headers), 404)
    assert_problem(await client.delete(f"/tasks/{task['id']}", headers=alice.headers), 404)


async def test_missing_task_is_404_on_every_verb(client):
    alice = await signup(client)
    for method, kwargs in [("get", {}), ("patch", {"json": {"completed": True}}), ("delete", {})]:
        response = await getattr(client, method)("/tasks/999999", headers=alice.headers, **kwargs)
        assert_problem(response, 404)


async def test_another_users_task_is_404_on_every_verb_and_unchanged(client, conn):
    alice = await signup(client)
    bob = await signup(client)
    task = await make_task(client, alice, description="private")
    url = f"/tasks/{task['id']}"
    assert_problem(await client.get(url, headers=bob.headers), 404)
    assert_problem(await client.patch(url, headers=bob.headers, json={"title": "mine", "completed": True}), 404)
    assert_problem(await client.patch(url, headers=bob.headers, json={}), 404)
    assert_problem(await client.delete(url, headers=bob.headers), 404)
    assert (await client.get(url, headers=alice.headers)).json() == task
    for params in ({}, {"completed": "false"}, {"completed": "true"}):
        assert (await client.get("/tasks", headers=bob.headers, params=params)).json()["items"] == []
    assert await conn.fetchval("SELECT count(*) FROM tasks") == 1


async def test_tasks_need_a_token(client):
    assert_problem(await client.get("/tasks"), 401)
    assert_problem(await client.post("/tasks", json={"title": "x"}), 401)
    assert_problem(await client.delete("/tasks/1"), 401)


async def test_deleting_the_account_deletes_its_tasks_only(client, conn):
    alice = await signup(client)
    bob = await signup(client)
    for i in range(3):
        await make_task(client, alice, f"alice {i}")
    await make_task(client, bob, "bob's")
    assert (await client.delete("/me", headers=alice.headers)).status_code == 204
    await purge_deleted_accounts(conn)  # the row and its cascades go with the account_purge job
    assert await conn.fetchval("SELECT count(*) FROM tasks WHERE user_id = $1::uuid", alice.id) == 0
    assert [t["title"] for t in (await client.get("/tasks", headers=bob.headers)).json()["items"]] == ["bob's"]


@pytest.mark.parametrize("body", [
    {},
    {"description": "no title"},
    {"title": ""},
    {"title": "   "},
    {"title": "x" * 201},
    {"title": 42},
    {"title": None},
    {"title": "ok", "description": "d" * 2001},
    {"title": "ok", "description": 5},
    {"title": "ok", "completed": True},  # not settable at creation
    {"title": "ok", "user_id": "00000000-0000-0000-0000-000000000000"},
    ["title"],
])
async def test_bad_create_is_400_and_stores_nothing(client, conn, body):
    alice = await signup(client)
    assert_problem(await client.post("/tasks", headers=alice.headers, json=body), 400)
    assert await conn.fetchval("SELECT count(*) FROM tasks") == 0


async def test_malformed_json_is_400(client, conn):
    alice = await signup(client)
    response = await client.post("/tasks", headers={**alice.headers, "content-type": "application/json"},
                                 content=b'{"title": "unterminated')
    assert_problem(response, 400)
    assert await conn.fetchval("SELECT count(*) FROM tasks") == 0


async def test_boundary_lengths_are_accepted(client):
    alice = await signup(client)
    task = await make_task(client, alice, "t" * 200, description="d" * 2000)
    assert len(task["title"]) == 200 and len(task["description"]) == 2000


@pytest.mark.parametrize("body", [
    {"title": None},
    {"title": ""},
    {"title": "x" * 201},
    {"description": "d" * 2001},
    {"completed": "yes"},
    {"completed": None},
    {"id": 5},
    {"created_at": "2020-01-01T00:00:00Z"},
])
async def test_bad_patch_is_400_and_changes_nothing(client, body):
    alice = await signup(client)
    task = await make_task(client, alice, description="keep")
    assert_problem(await client.patch(f"/tasks/{task['id']}", headers=alice.headers, json=body), 400)
    assert (await client.get(f"/tasks/{task['id']}", headers=alice.headers)).json() == task


@pytest.mark.parametrize("path", ["/tasks/0", "/tasks/-1", f"/tasks/{2**63}", "/tasks/abc", "/tasks/1.5"])
async def test_ids_that_cannot_be_tasks_are_4xx(client, path):
    alice = await signup(client)
    response = await client.get(path, headers=alice.headers)
    assert response.status_code in (400, 404), response.text
    assert_problem(response, response.status_code)


@pytest.mark.parametrize("params", [{"before": "%%%"}, {"before": "bm90IGpzb24"}, {"before": "WyJ4Il0"},
                                    {"limit": 0}, {"limit": 201}, {"limit": "ten"}, {"completed": "maybe"}])
async def test_bad_list_parameters_are_400(client, params):
    alice = await signup(client)
    assert_problem(await client.get("/tasks", headers=alice.headers, params=params), 400)
