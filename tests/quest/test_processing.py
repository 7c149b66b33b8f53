import asyncio
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from service.quest import logic, rules
from tests.helpers import purge_deleted_accounts, signup
from tests.quest.support import connect, create_pet, github_request, push, push_payload, walk

RECOMPUTED = """
SELECT user_id, (occurred_at AT TIME ZONE 'UTC')::date AS day, kind, sum(value)::bigint AS total,
       count(*) AS event_count
FROM events GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
"""
CACHED = "SELECT user_id, day, kind, total, event_count FROM metrics_cache ORDER BY 1, 2, 3"


async def pet_state(client, account, pet):
    return (await client.get(f"/pets/{pet['id']}", headers=account.headers)).json()["state"]


async def test_commits_give_xp_levels_hunger_and_tire_the_pet(client, conn):
    account = await signup(client)
    github = await connect(client, account)
    pets = [await create_pet(client, account, name=n, state={"energy": 50, "hunger": 10}) for n in ("a", "b")]
    ack = await push(client, github["external_account_id"], 12)
    event = await conn.fetchrow("SELECT id, kind, value, metadata FROM events WHERE raw_event_id = $1",
                                ack["raw_event_id"])
    assert (event["kind"], event["value"]) == ("commits", 12)
    assert event["metadata"]["repository"] == "someone/repo" and len(event["metadata"]["commit_ids"]) == 12
    for pet in pets:  # every pet of the user
        state = await pet_state(client, account, pet)
        assert state["xp"] == 120 and state["level"] == 2
        assert state["hunger"] == 10 + 36 and state["energy"] == 50 - 24
        assert state["last_event_id"] == event["id"]


async def test_state_is_clamped_to_the_check_bounds(client):
    account = await signup(client)
    github = await connect(client, account)
    fitbit = await connect(client, account, provider="fitbit", external_account_id="FBX")
    pet = await create_pet(client, account, state={"energy": 90, "hunger": 95})
    await push(client, github["external_account_id"], 1000)  # a huge push never blocks processing
    state = await pet_state(client, account, pet)
    # xp is held to the per-delivery cap (#18, tests/quest/test_delivery_caps.py)
    cap = rules.MAX_XP_PER_DELIVERY
    assert (state["energy"], state["hunger"], state["xp"], state["level"]) == (0, 100, cap, rules.level_for(cap))
    await walk(client, fitbit["external_account_id"], 1_000_000)
    state = await pet_state(client, account, pet)
    assert state["energy"] == 100 and state["xp"] == 2 * cap and state["level"] == rules.level_for(2 * cap)


async def test_steps_restore_energy(client):
    account = await signup(client)
    fitbit = await connect(client, account, provider="fitbit", external_account_id="FB2")
    pet = await create_pet(client, account, state={"energy": 20})
    ack = await walk(client, fitbit["external_account_id"], 5200, day="2024-05-01")
    assert ack["status"] == "processed"
    state = await pet_state(client, account, pet)
    assert (state["energy"], state["xp"], state["hunger"]) == (20 + 10, 5, 0)


async def test_push_without_new_commits_is_processed_without_an_event(client, conn):
    account = await signup(client)
    github = await connect(client, account)
    pet = await create_pet(client, account)
    ack = await push(client, github["external_account_id"], 2, distinct=False)
    assert ack["status"] == "processed"
    assert await conn.fetchval("SELECT count(*) FROM events") == 0
    assert await pet_state(client, account, pet) == pet["state"]


async def test_processing_the_same_raw_event_twice_counts_once(client, conn):
    account = await signup(client)
    github = await connect(client, account)
    pet = await create_pet(client, account)
    ack = await push(client, github["external_account_id"], 3)
    assert await logic.process_raw_event(conn, ack["raw_event_id"]) is False
    # even with the raw row forced back to pending, the unique raw_event_id stops a second count
    await conn.execute("UPDATE events_raw SET status = 'pending', processed_at = NULL WHERE id = $1",
                       ack["raw_event_id"])
    assert await logic.process_raw_event(conn, ack["raw_event_id"]) is True
    assert await conn.fetchval("SELECT count(*) FROM events") == 1
    assert (await pet_state(client, account, pet))["xp"] == 30
    assert await conn.fetchval("SELECT total FROM metrics_cache") == 3


async def test_processing_is_one_transaction_and_events_process_recovers(client, conn, db_url):
    account = await signup(client)
    github = await connect(client, account)
    pet = await create_pet(client, account)
    # make the last write of processing (the metrics upsert) fail, as a crash would
    await conn.execute("ALTER TABLE metrics_cache ADD CONSTRAINT test_block_chk CHECK (total < 0)")
    ack = await push(client, github["external_account_id"], 2)
    assert ack["status"] == "pending"
    assert await conn.fetchval("SELECT status FROM events_raw WHERE id = $1", ack["raw_event_id"]) == "pending"
    assert await conn.fetchval("SELECT count(*) FROM events") == 0
    assert await conn.fetchval("SELECT count(*) FROM metrics_cache") == 0
    assert await pet_state(client, account, pet) == pet["state"]
    await conn.execute("ALTER TABLE metrics_cache DROP CONSTRAINT test_block_chk")

    env = {**os.environ, "DATABASE_URL": db_url}
    for expected in ("1 processed", "0 processed"):  # a second run finds nothing left
        result = await asyncio.to_thread(subprocess.run, [sys.executable, "-m", "service", "events", "process"],
                                         env=env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        assert expected in result.stdout
    assert await conn.fetchval("SELECT status FROM events_raw WHERE id = $1", ack["raw_event_id"]) == "processed"
    assert (await pet_state(client, account, pet))["xp"] == 20
    assert await conn.fetchval("SELECT total FROM metrics_cache") == 2


async def test_metrics_cache_equals_a_recomputation_from_events(client, conn):
    alice, bob = await signup(client), await signup(client)
    a_gh = await connect(client, alice)
    a_fb = await connect(client, alice, provider="fitbit", external_account_id="FA")
    b_gh = await connect(client, bob)
    now = datetime.now(UTC)
    for days, commits in ((0, 2), (0, 3), (1, 1), (3, 5)):
        await push(client, a_gh["external_account_id"], commits, when=now - timedelta(days=days))
    await push(client, b_gh["external_account_id"], 7, when=now)
    # near midnight UTC: the day is the UTC day of occurred_at
    late = now.replace(hour=23, minute=59, second=59) - timedelta(days=2)
    await push(client, a_gh["external_account_id"], 4, when=late.astimezone(UTC))
    for day, steps in (("2024-05-01", 1200), ("2024-05-01", 800), ("2024-05-02", 3000)):
        await walk(client, a_fb["external_account_id"], steps, day=day)
    cached = [tuple(r) for r in await conn.fetch(CACHED)]
    assert cached == [tuple(r) for r in await conn.fetch(RECOMPUTED)]
    assert len(cached) == 7

    may = (await client.get("/stats/daily", headers=alice.headers,
                            params={"from": "2024-05-01", "to": "2024-05-31"})).json()
    assert [(d["day"], d["totals"], d["event_counts"]) for d in may["days"]] == [
        ("2024-05-01", {"steps": 2000}, {"steps": 2}), ("2024-05-02", {"steps": 3000}, {"steps": 1})]
    recent = (await client.get("/stats/daily", headers=alice.headers,
                               params={"from": (now - timedelta(days=10)).date().isoformat()})).json()
    by_day = {d["day"]: d["totals"] for d in recent["days"]}
    assert by_day[now.date().isoformat()] == {"commits": 5}
    assert sum(t.get("commits", 0) for t in by_day.values()) == 15


@pytest.mark.parametrize("params", [
    {"from": "2024-05-02", "to": "2024-05-01"},
    {"from": "2023-01-01", "to": "2024-05-01"},
    {"from": "yesterday"},
])
async def test_bad_stats_ranges_are_400(client, params):
    from tests.helpers import assert_problem
    account = await signup(client)
    assert_problem(await client.get("/stats/daily", headers=account.headers, params=params), 400)


async def test_stats_default_to_the_last_30_days_and_are_private(client):
    alice, bob = await signup(client), await signup(client)
    github = await connect(client, alice)
    await push(client, github["external_account_id"], 1)
    mine = (await client.get("/stats/daily", headers=alice.headers)).json()
    assert len(mine["days"]) == 1 and mine["days"][0]["totals"] == {"commits": 1}
    assert (datetime.fromisoformat(mine["to"]) - datetime.fromisoformat(mine["from"])).days == 29
    assert (await client.get("/stats/daily", headers=bob.headers)).json()["days"] == []


async def test_deleting_the_user_removes_all_quest_rows(client, conn):
    account = await signup(client)
    github = await connect(client, account)
    await create_pet(client, account)
    await push(client, github["external_account_id"], 2)
    await client.post("/goals", headers=account.headers,
                      json={"title": "t", "metric_kind": "commits", "target": 1})
    body, headers = github_request(push_payload("999999", 1))
    await client.post("/webhooks/github", content=body, headers=headers)  # unmatched: no user
    assert (await client.delete("/me", headers=account.headers)).status_code == 204
    await purge_deleted_accounts(conn)  # the row and its cascades go with the account_purge job
    for table in ("pets", "integrations", "events", "goals", "metrics_cache"):
        assert await conn.fetchval(f"SELECT count(*) FROM {table}") == 0, table  # noqa: S608
    assert await conn.fetchval("SELECT count(*) FROM events_raw") == 1
    assert await conn.fetchval("SELECT status FROM events_raw") == "unmatched"
