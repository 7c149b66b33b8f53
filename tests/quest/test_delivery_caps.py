"""The effect of one webhook delivery on a pet is bounded (issue #18).

A signed GitHub push of 40,000 commits took a pet to level 4001.  Now one delivery grants at
most ``MAX_XP_PER_DELIVERY`` xp, an account's pets at most ``MAX_XP_PER_DAY`` xp per UTC day;
energy and hunger move at most ``GAUGE`` per delivery; the excess is recorded in
``quest_daily_xp.xp_withheld`` and never applied.
"""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec
from litestar.testing import AsyncTestClient

from service.app import create_app
from service.quest import repo, rules
from tests.helpers import signup
from tests.quest.support import connect, create_pet, fitbit_request, github_request, push_payload
from tests.race import started_and_blocked


async def pet_state(client: Any, account: Any, pet_id: str) -> dict[str, Any]:
    response = await client.get(f"/pets/{pet_id}", headers=account.headers)
    assert response.status_code == 200, response.text
    return response.json()["state"]  # type: ignore[no-any-return]


async def daily(conn: Any, user_id: str) -> tuple[int, int]:
    row = await conn.fetchrow("SELECT xp_applied, xp_withheld FROM quest_daily_xp WHERE user_id = $1::uuid",
                              user_id)
    return (row["xp_applied"], row["xp_withheld"]) if row else (0, 0)


async def test_a_signed_push_of_40000_commits_moves_a_pet_by_the_per_delivery_cap_only(settings: Any, conn: Any):
    """40,000 commits (8 MB) are refused whole by the payload bound (#13: 413, nothing stored or applied);
    the largest push that fits (500 commits, 5,000 xp's worth) still moves the pet by the per-delivery cap only."""
    big = msgspec.structs.replace(settings, max_body_bytes=16 * 1024 * 1024)  # the push is about 8 MB
    async with AsyncTestClient(app=create_app(big)) as client:
        account = await signup(client)
        integration = await connect(client, account)
        pet = await create_pet(client, account)
        body, headers = github_request(push_payload(integration["external_account_id"], 40_000))
        refused = await client.post("/webhooks/github", content=body, headers=headers)
        assert refused.status_code == 413, refused.text
        assert await pet_state(client, account, pet["id"]) == pet["state"]
        assert await conn.fetchval("SELECT count(*) FROM events_raw WHERE user_id = $1::uuid", account.id) == 0
        body, headers = github_request(push_payload(integration["external_account_id"], 500))
        response = await client.post("/webhooks/github", content=body, headers=headers)
        assert response.status_code == 200, response.text
        assert response.json()["status"] == "processed"
        state = await pet_state(client, account, pet["id"])
    assert state["xp"] == pet["state"]["xp"] + rules.MAX_XP_PER_DELIVERY
    assert state["level"] == rules.level_for(state["xp"])
    assert state["level"] <= 1 + (pet["state"]["xp"] + rules.MAX_XP_PER_DELIVERY) // rules.XP_PER_LEVEL
    assert 0 <= state["energy"] <= 100 and 0 <= state["hunger"] <= 100
    # the event itself is kept as it was (500 commits); what was not applied is recorded
    assert await conn.fetchval("SELECT value FROM events WHERE user_id = $1::uuid", account.id) == 500
    assert await daily(conn, account.id) == (rules.MAX_XP_PER_DELIVERY,
                                             500 * rules.XP_PER_COMMIT - rules.MAX_XP_PER_DELIVERY)


async def test_the_daily_cap_holds_across_deliveries_and_the_excess_is_recorded(client: Any, conn: Any):
    account = await signup(client)
    integration = await connect(client, account)
    await connect(client, account, provider="fitbit", external_account_id="FBCAP")
    pet = await create_pet(client, account)
    asked = 0
    for _ in range(4):  # 4 x 20 commits = 800 xp asked, 200 per delivery (at the per-delivery cap)
        body, headers = github_request(push_payload(integration["external_account_id"], 20))
        assert (await client.post("/webhooks/github", content=body, headers=headers)).json()["status"] == "processed"
        asked += 20 * rules.XP_PER_COMMIT
    body, headers = fitbit_request("FBCAP", 50_000, "2024-05-01")  # 50 xp more, after the cap
    assert (await client.post("/webhooks/fitbit", content=body, headers=headers)).json()["status"] == "processed"
    asked += 50
    state = await pet_state(client, account, pet["id"])
    assert state["xp"] == pet["state"]["xp"] + rules.MAX_XP_PER_DAY
    assert await daily(conn, account.id) == (rules.MAX_XP_PER_DAY, asked - rules.MAX_XP_PER_DAY)
    # a small delivery within the caps is applied in full on a day with room left
    await conn.execute("UPDATE quest_daily_xp SET day = day - 1 WHERE user_id = $1::uuid", account.id)
    body, headers = github_request(push_payload(integration["external_account_id"], 2))
    assert (await client.post("/webhooks/github", content=body, headers=headers)).json()["status"] == "processed"
    assert (await pet_state(client, account, pet["id"]))["xp"] == state["xp"] + 2 * rules.XP_PER_COMMIT


async def test_daily_xp_rows_are_purged_after_the_retention(client: Any, conn: Any):
    account = await signup(client)
    integration = await connect(client, account)
    body, headers = github_request(push_payload(integration["external_account_id"], 1))
    assert (await client.post("/webhooks/github", content=body, headers=headers)).status_code == 200
    await conn.execute("UPDATE quest_daily_xp SET day = day - $2::integer WHERE user_id = $1::uuid", account.id,
                       rules.DAILY_XP_RETENTION_DAYS + 1)
    assert await repo.purge_daily_xp(conn, rules.DAILY_XP_RETENTION_DAYS, 100) == 1
    assert await daily(conn, account.id) == (0, 0)


async def test_two_deliveries_at_once_never_exceed_the_daily_cap(client: Any, db_url: str) -> None:
    """B grants first and holds its row lock; A's grant is observed waiting, then sees B's total."""
    account = await signup(client)
    a, b, observer = (await asyncpg.connect(db_url), await asyncpg.connect(db_url), await asyncpg.connect(db_url))
    try:
        tx = b.transaction()
        await tx.start()
        assert await repo.grant_daily_xp(b, account.id, 400, 0, rules.MAX_XP_PER_DAY) == 400
        a_task = await started_and_blocked(observer, repo.grant_daily_xp(a, account.id, 400, 0, rules.MAX_XP_PER_DAY))
        await tx.commit()
        assert await a_task == rules.MAX_XP_PER_DAY - 400
        assert await daily(observer, account.id) == (rules.MAX_XP_PER_DAY, 400 - (rules.MAX_XP_PER_DAY - 400))
    finally:
        for conn in (a, b, observer):
            await conn.close()
