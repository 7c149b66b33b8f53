"""Issue #16: POST /tasks/batch (all or nothing, one statement) and GET /tasks?q= (title search by index)."""

from __future__ import annotations

import json
import uuid

import asyncpg
import pytest

from service.db.queries import load_sql
from service.tasks import repo
from tests.helpers import assert_problem, signup


async def test_batch_creates_all_in_order(client, conn):
    alice = await signup(client)
    body = {"tasks": [{"title": "buy milk"}, {"title": "call mom", "description": "Sunday"}, {"title": "pay rent"}]}
    response = await client.post("/tasks/batch", headers=alice.headers, json=body)
    assert response.status_code == 201, response.text
    items = response.json()["items"]
    assert [t["title"] for t in items] == ["buy milk", "call mom", "pay rent"]
    assert items[1]["description"] == "Sunday" and items[0]["description"] is None
    assert [t["id"] for t in items] == sorted(t["id"] for t in items)
    listed = (await client.get("/tasks", headers=alice.headers)).json()["items"]
    assert [t["id"] for t in listed] == [t["id"] for t in reversed(items)]


@pytest.mark.parametrize("body,field", [
    ({"tasks": []}, "tasks"),
    ({"tasks": [{"title": "ok"}] * 101}, "tasks"),
    ({"tasks": [{"title": "ok"}, {"title": " "}]}, "/tasks/1/title"),
    ({"tasks": [{"title": "ok"}, {"title": "x" * 201}]}, "/tasks/1/title"),
    ({"tasks": [{"title": "ok", "description": "d" * 2001}]}, "/tasks/0/description"),
    ({"tasks": [{"title": "ok", "done": True}]}, "done"),
    ({}, "tasks"),
])
async def test_a_bad_batch_creates_nothing_and_names_the_field(client, conn, body, field):
    alice = await signup(client)
    problem = assert_problem(await client.post("/tasks/batch", headers=alice.headers, json=body), 400)
    assert field in json.dumps(problem), problem
    assert await conn.fetchval("SELECT count(*) FROM tasks") == 0


async def test_the_batch_is_one_statement_so_a_refused_row_refuses_all(client, conn):
    alice = await signup(client)
    # the statement itself (the API refuses this row before): the table's CHECK fails the second
    # row, and the first is not created either
    with pytest.raises(asyncpg.CheckViolationError):
        await repo.insert_tasks(conn, uuid.UUID(alice.id), ["fine", "   "], [None, None])
    assert await conn.fetchval("SELECT count(*) FROM tasks") == 0


async def test_search_titles_case_insensitively_with_literal_wildcards(client):
    alice, bob = await signup(client), await signup(client)
    titles = ["Buy MILK", "milkshake recipe", "call mom", "100% done", "snake_case names", "back\\slash"]
    await client.post("/tasks/batch", headers=alice.headers, json={"tasks": [{"title": t} for t in titles]})
    await client.post("/tasks", headers=bob.headers, json={"title": "bob's milk"})

    async def search(q: str, **params) -> list[str]:
        response = await client.get("/tasks", headers=alice.headers, params={"q": q, **params})
        assert response.status_code == 200, response.text
        return [t["title"] for t in response.json()["items"]]

    assert await search("milk") == ["milkshake recipe", "Buy MILK"]
    assert await search("%") == ["100% done"]
    assert await search("_") == ["snake_case names"]
    assert await search("\\") == ["back\\slash"]
    assert await search("nothing like it") == []
    # with ?completed= and paging
    first = (await client.get("/tasks", headers=alice.headers, params={"q": "m", "limit": 2})).json()
    rest = (await client.get("/tasks", headers=alice.headers,
                             params={"q": "m", "limit": 2, "before": first["next_cursor"]})).json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    assert {t["title"] for t in first["items"] + rest["items"]} >= {"Buy MILK", "milkshake recipe", "call mom"}
    assert await search("milk", completed="true") == []
    for bad in ("", " ", "x" * 101):
        problem = assert_problem(await client.get("/tasks", headers=alice.headers, params={"q": bad}), 400)
        assert "q" in json.dumps(problem)


async def test_search_is_served_by_an_index_of_the_callers_rows_when_a_user_has_many_tasks(client, conn):
    alice = await signup(client)
    user = uuid.UUID(alice.id)
    # 50 other users with 1,000 tasks each, and alice with 5,000, 20 of them about taxes: the bench's
    # 40 tasks a user are walked by tasks_user_id_id_idx instead (docs/plans.md), rightly
    others = await conn.fetch("""
        INSERT INTO users (email, auth_provider, auth_provider_id)
        SELECT 'bulk' || g || '@example.com', 'bulk', 'bulk-' || g FROM generate_series(1, 50) AS g
        RETURNING id""")
    await conn.execute("""
        INSERT INTO tasks (user_id, title)
        SELECT u.id, 'chore ' || g || CASE WHEN g % 100 = 0 THEN ' quarterly taxes' ELSE '' END
        FROM unnest($1::uuid[]) AS u (id) CROSS JOIN generate_series(1, 1000) AS g""", [r["id"] for r in others])
    await conn.execute("""
        INSERT INTO tasks (user_id, title)
        SELECT $1, 'task number ' || g || CASE WHEN g % 250 = 0 THEN ' quarterly taxes' ELSE '' END
        FROM generate_series(1, 5000) AS g""", user)
    await conn.execute("ANALYZE tasks")
    statement = load_sql("tasks/search_tasks").strip().rstrip(";")
    plan = await conn.fetchval(f"EXPLAIN (FORMAT JSON) {statement}", user, "quarterly", None, None, 51)
    text = json.dumps(plan)
    # Served by an index that reads only the caller's rows: the trigram index, or (when ANALYZE's sample
    # makes the planner expect many matches) the caller's (user_id, id) index; never a scan of the table.
    # Which of the two varies with the sample, so the test accepts both (an open tuning item, #16).
    assert "tasks_user_id_title_idx" in text or "tasks_user_id_id_idx" in text, text
    assert "Seq Scan" not in text, text
    rows = await conn.fetch(statement, user, "quarterly", None, None, 51)
    assert len(rows) == 20
