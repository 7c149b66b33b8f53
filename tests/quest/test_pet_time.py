"""Issue #16: pets change with time between events, computed when read, clamped to 0..100.

Rates (service/quest/rules.py, migration 0185): hunger +2 an hour, energy +4 an hour, whole
points.  Time is moved by setting gauges_at back in the database, never by sleeping.
"""

from __future__ import annotations

import uuid

from service.quest.rules import ENERGY_PER_HOUR, HUNGER_PER_HOUR
from tests.helpers import signup
from tests.quest.support import connect, create_pet, push


async def hours_ago(conn, pet_id: str, hours: float) -> None:
    await conn.execute("UPDATE pets SET gauges_at = now() - make_interval(secs => $2) WHERE id = $1",
                       uuid.UUID(pet_id), hours * 3600)


async def state(client, account, pet_id: str) -> dict:
    response = await client.get(f"/pets/{pet_id}", headers=account.headers)
    assert response.status_code == 200, response.text
    return response.json()["state"]  # type: ignore[no-any-return]


async def test_hunger_rises_and_energy_recovers_while_nobody_writes(client, conn):
    alice = await signup(client)
    pet = await create_pet(client, alice, state={"energy": 40, "hunger": 10})
    await hours_ago(conn, pet["id"], 10.5)
    now = await state(client, alice, pet["id"])
    # 10.5 h: hunger 10 + floor(21) = 31, energy 40 + floor(42) = 82
    assert (now["hunger"], now["energy"]) == (10 + int(10.5 * HUNGER_PER_HOUR), 40 + int(10.5 * ENERGY_PER_HOUR))
    assert (now["hunger"], now["energy"]) == (31, 82)
    # the stored row did not change: the value is computed at read
    row = await conn.fetchrow("SELECT energy, hunger FROM pets WHERE id = $1", uuid.UUID(pet["id"]))
    assert (row["energy"], row["hunger"]) == (40, 10)
    listed = (await client.get("/pets", headers=alice.headers)).json()["items"]
    assert listed[0]["state"]["hunger"] == 31


async def test_clamped_to_the_check_bounds(client, conn):
    alice = await signup(client)
    pet = await create_pet(client, alice, state={"energy": 90, "hunger": 95})
    await hours_ago(conn, pet["id"], 24 * 365)
    now = await state(client, alice, pet["id"])
    assert (now["energy"], now["hunger"]) == (100, 100)


async def test_an_event_starts_from_the_state_now(client, conn):
    alice = await signup(client)
    pet = await create_pet(client, alice, state={"energy": 50, "hunger": 0})
    integration = await connect(client, alice)
    await hours_ago(conn, pet["id"], 5)  # hunger 10, energy 70 now
    await push(client, integration["external_account_id"], 2)  # +6 hunger, -4 energy
    now = await state(client, alice, pet["id"])
    assert (now["hunger"], now["energy"]) == (16, 66)
    # and the clock restarted: the stored values are the ones just shown
    row = await conn.fetchrow("SELECT energy, hunger FROM pets WHERE id = $1", uuid.UUID(pet["id"]))
    assert (row["energy"], row["hunger"]) == (66, 16)


async def test_feeding_sets_one_gauge_and_keeps_the_other_running(client, conn):
    alice = await signup(client)
    pet = await create_pet(client, alice, state={"energy": 20, "hunger": 30})
    await hours_ago(conn, pet["id"], 3)  # hunger 36, energy 32 now
    fed = await client.patch(f"/pets/{pet['id']}", headers=alice.headers, json={"state": {"hunger": 0}})
    assert fed.status_code == 200, fed.text
    assert (fed.json()["state"]["hunger"], fed.json()["state"]["energy"]) == (0, 32)
    # a rename does not restart the clock
    await hours_ago(conn, pet["id"], 2)
    renamed = await client.patch(f"/pets/{pet['id']}", headers=alice.headers, json={"name": "Kiki"})
    assert (renamed.json()["state"]["hunger"], renamed.json()["state"]["energy"]) == (4, 40)
    row = await conn.fetchrow("SELECT energy, hunger FROM pets WHERE id = $1", uuid.UUID(pet["id"]))
    assert (row["energy"], row["hunger"]) == (32, 0)
