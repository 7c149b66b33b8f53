from datetime import UTC, date, datetime, timedelta

import pytest

from tests.helpers import assert_problem, signup
from tests.quest.support import connect, push, walk


async def create_goal(client, account, **body):
    response = await client.post("/goals", headers=account.headers,
                                 json={"title": "Walk", "metric_kind": "steps", "target": 10000, **body})
    assert response.status_code == 201, response.text
    return response.json()


async def test_goal_progress_is_summed_from_events_of_the_current_period(client):
    account = await signup(client)
    fitbit = await connect(client, account, provider="fitbit", external_account_id="G1")
    github = await connect(client, account)
    today = datetime.now(UTC).date()
    daily = await create_goal(client, account, start_date=(today - timedelta(days=40)).isoformat())
    monthly = await create_goal(client, account, period="monthly", target=1_000_000,
                                start_date=(today - timedelta(days=40)).isoformat())
    assert daily["progress"] == {"period_start": today.isoformat(),
                                 "period_end": (today + timedelta(days=1)).isoformat(),
                                 "value": 0, "target": 10000, "percent": 0, "achieved": False}
    await walk(client, fitbit["external_account_id"], 4000, day=today.isoformat())
    await walk(client, fitbit["external_account_id"], 2500, day=today.isoformat())
    await push(client, github["external_account_id"], 3)  # another kind: not counted
    yesterday = today - timedelta(days=1)
    await walk(client, fitbit["external_account_id"], 9999, day=yesterday.isoformat())

    goal = (await client.get(f"/goals/{daily['id']}", headers=account.headers)).json()
    assert goal["progress"]["value"] == 6500 and goal["progress"]["percent"] == 65
    assert goal["progress"]["achieved"] is False
    month = (await client.get(f"/goals/{monthly['id']}", headers=account.headers)).json()["progress"]
    assert month["period_start"] == today.replace(day=1).isoformat()
    assert month["value"] == 6500 + (9999 if yesterday.month == today.month else 0)

    await walk(client, fitbit["external_account_id"], 3500, day=today.isoformat())
    listed = (await client.get("/goals", headers=account.headers)).json()["items"]
    assert listed[0]["id"] == daily["id"]
    assert listed[0]["progress"]["achieved"] is True and listed[0]["progress"]["percent"] == 100


async def test_weekly_period_starts_on_monday_and_dates_clip_progress(client):
    account = await signup(client)
    fitbit = await connect(client, account, provider="fitbit", external_account_id="G2")
    today = datetime.now(UTC).date()
    monday = today - timedelta(days=today.weekday())
    weekly = await create_goal(client, account, period="weekly", start_date=monday.isoformat())
    assert weekly["progress"]["period_start"] == monday.isoformat()
    assert weekly["progress"]["period_end"] == (monday + timedelta(days=7)).isoformat()
    await walk(client, fitbit["external_account_id"], 1000, day=today.isoformat())
    # a goal starting tomorrow counts nothing yet; one that ended yesterday counts nothing today
    future = await create_goal(client, account, start_date=(today + timedelta(days=1)).isoformat())
    ended = await create_goal(client, account, start_date=(today - timedelta(days=5)).isoformat(),
                              end_date=(today - timedelta(days=1)).isoformat())
    assert future["progress"]["value"] == 0 and ended["progress"]["value"] == 0
    assert (await client.get(f"/goals/{weekly['id']}", headers=account.headers)).json()["progress"]["value"] == 1000


async def test_progress_is_never_stored(conn):
    columns = await conn.fetch("SELECT column_name FROM information_schema.columns WHERE table_name = 'goals'")
    assert not {"progress", "current", "value"} & {c["column_name"] for c in columns}


async def test_patch_goal(client):
    account = await signup(client)
    goal = await create_goal(client, account, end_date="2099-01-01")
    patched = (await client.patch(f"/goals/{goal['id']}", headers=account.headers,
                                  json={"status": "completed", "target": 5, "end_date": None})).json()
    assert (patched["status"], patched["target"], patched["end_date"]) == ("completed", 5, None)
    assert patched["title"] == goal["title"] and patched["progress"]["target"] == 5


@pytest.mark.parametrize("body", [
    {"title": "t", "metric_kind": "steps", "target": 0},
    {"title": "t", "metric_kind": "steps", "target": -5},
    {"title": "t", "metric_kind": "steps", "target": 1.5},
    {"title": "t", "metric_kind": "pushups", "target": 1},
    {"title": "t", "metric_kind": "steps", "target": 1, "period": "yearly"},
    {"title": "", "metric_kind": "steps", "target": 1},
    {"title": "t" * 201, "metric_kind": "steps", "target": 1},
    {"title": "t", "metric_kind": "steps", "target": 1, "start_date": "2024-05-02", "end_date": "2024-05-01"},
    {"title": "t", "metric_kind": "steps", "target": 1, "progress": 5},
    {"metric_kind": "steps", "target": 1},
])
async def test_bad_goals_are_400_and_store_nothing(client, conn, body):
    account = await signup(client)
    assert_problem(await client.post("/goals", headers=account.headers, json=body), 400)
    assert await conn.fetchval("SELECT count(*) FROM goals") == 0


@pytest.mark.parametrize(("body", "status"), [
    ({"status": "done"}, 400),
    ({"target": 0}, 400),
    ({"metric_kind": "commits"}, 400),
    ({"start_date": None}, 400),
    ({"start_date": "2024-05-02", "end_date": "2024-05-01"}, 400),
    ({"end_date": "2000-01-01"}, 422),  # before the stored start_date: the DB CHECK answers
])
async def test_bad_goal_patches_change_nothing(client, body, status):
    account = await signup(client)
    goal = await create_goal(client, account, start_date=date.today().isoformat())
    body = assert_problem(await client.patch(f"/goals/{goal['id']}", headers=account.headers, json=body), status)
    if status == 422:
        assert body["detail"] == "end_date must not be before start_date"
    assert (await client.get(f"/goals/{goal['id']}", headers=account.headers)).json() == goal


async def test_another_users_goal_is_404_on_every_verb(client):
    alice, bob = await signup(client), await signup(client)
    goal = await create_goal(client, alice)
    url = f"/goals/{goal['id']}"
    assert_problem(await client.get(url, headers=bob.headers), 404)
    assert_problem(await client.patch(url, headers=bob.headers, json={"title": "mine"}), 404)
    assert_problem(await client.delete(url, headers=bob.headers), 404)
    assert (await client.get("/goals", headers=bob.headers)).json()["items"] == []
    assert (await client.get(url, headers=alice.headers)).json() == goal
    assert (await client.delete(url, headers=alice.headers)).status_code == 204
    assert_problem(await client.get(url, headers=alice.headers), 404)


async def test_goal_pages(client):
    account = await signup(client)
    ids = [(await create_goal(client, account, title=f"g{i}"))["id"] for i in range(3)]
    first = (await client.get("/goals", headers=account.headers, params={"limit": 2})).json()
    second = (await client.get("/goals", headers=account.headers,
                               params={"limit": 2, "after": first["next_cursor"]})).json()
    assert [g["id"] for g in first["items"] + second["items"]] == ids and second["next_cursor"] is None
    assert_problem(await client.get("/goals", headers=account.headers, params={"after": "x"}), 400)


async def test_goal_history_reports_each_period_met_or_not(client):
    """Issue #16: a goal is reported as met per period, computed by the read query."""
    account = await signup(client)
    fitbit = await connect(client, account, provider="fitbit", external_account_id="H1")
    today = datetime.now(UTC).date()
    goal = await create_goal(client, account, target=5000, start_date=(today - timedelta(days=3)).isoformat())
    for days_ago, steps in ((3, 6000), (2, 1000), (0, 5000)):
        await walk(client, fitbit["external_account_id"], steps, day=(today - timedelta(days=days_ago)).isoformat())
    path = f"/goals/{goal['id']}/history"
    body = (await client.get(path, headers=account.headers)).json()
    days = [(today - timedelta(days=n)).isoformat() for n in range(4)]
    assert [(p["period_start"], p["progress"], p["met"]) for p in body["items"]] == [
        (days[0], 5000, True), (days[1], 0, False), (days[2], 1000, False), (days[3], 6000, True)]
    assert body["next_cursor"] is None and body["items"][0]["target"] == 5000
    first = (await client.get(path, headers=account.headers, params={"limit": 2})).json()
    rest = (await client.get(path, headers=account.headers, params={"limit": 2, "before": first["next_cursor"]})).json()
    assert [p["period_start"] for p in first["items"] + rest["items"]] == days
    # a raised target changes the verdict of every period: nothing was stored
    await client.patch(f"/goals/{goal['id']}", headers=account.headers, json={"target": 5500})
    body = (await client.get(path, headers=account.headers)).json()
    assert [p["met"] for p in body["items"]] == [False, False, False, True]
    other = await signup(client)
    assert_problem(await client.get(path, headers=other.headers), 404)


async def test_weekly_and_monthly_history_periods(client):
    account = await signup(client)
    today = datetime.now(UTC).date()
    start = today - timedelta(days=70)
    weekly = await create_goal(client, account, period="weekly", start_date=start.isoformat())
    monthly = await create_goal(client, account, period="monthly", start_date=start.isoformat())
    weeks = (await client.get(f"/goals/{weekly['id']}/history", headers=account.headers)).json()["items"]
    assert date.fromisoformat(weeks[0]["period_start"]).weekday() == 0
    assert date.fromisoformat(weeks[-1]["period_start"]) <= start < date.fromisoformat(weeks[-1]["period_end"])
    months = (await client.get(f"/goals/{monthly['id']}/history", headers=account.headers)).json()["items"]
    assert all(date.fromisoformat(m["period_start"]).day == 1 for m in months)
    assert date.fromisoformat(months[-1]["period_start"]) <= start
    assert len(months) in (3, 4)
