import asyncpg
import pytest

from tests.helpers import assert_problem, signup
from tests.quest.support import create_pet


async def test_create_pet_shows_the_seed_state_object(client):
    account = await signup(client)
    pet = await create_pet(client, account, species="fox",
                           state={"energy": 45, "hunger": 12, "traits": {"color": "green", "mood": "happy"}})
    assert pet["name"] == "Mochi" and pet["species"] == "fox"
    state = pet["state"]
    assert set(state) == {"energy", "hunger", "level", "xp", "last_event_id", "last_update", "traits"}
    assert (state["energy"], state["hunger"], state["level"], state["xp"]) == (45, 12, 1, 0)
    assert state["last_event_id"] is None and state["traits"] == {"color": "green", "mood": "happy"}
    fetched = (await client.get(f"/pets/{pet['id']}", headers=account.headers)).json()
    assert fetched == pet


async def test_defaults_and_list_pagination(client):
    account = await signup(client)
    ids = [(await create_pet(client, account, name=f"p{i}"))["id"] for i in range(5)]
    first = await create_pet(client, await signup(client))  # another user's pet is never listed
    seen, cursor = [], None
    while True:
        params = {"limit": 2} | ({"after": cursor} if cursor else {})
        page = (await client.get("/pets", headers=account.headers, params=params)).json()
        seen += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert [p["id"] for p in seen] == ids and first["id"] not in ids
    assert seen[0]["state"]["energy"] == 100 and seen[0]["state"]["hunger"] == 0


async def test_patch_changes_only_given_fields(client):
    account = await signup(client)
    pet = await create_pet(client, account, state={"traits": {"color": "red"}})
    response = await client.patch(f"/pets/{pet['id']}", headers=account.headers,
                                  json={"state": {"hunger": 0, "energy": 100, "traits": {"mood": "sleepy"}}})
    assert response.status_code == 200, response.text
    patched = response.json()
    assert patched["name"] == "Mochi"
    assert patched["state"]["traits"] == {"mood": "sleepy"}
    assert patched["state"]["last_update"] > pet["state"]["last_update"]
    renamed = (await client.patch(f"/pets/{pet['id']}", headers=account.headers, json={"name": "Kiki"})).json()
    assert renamed["name"] == "Kiki" and renamed["state"] == patched["state"]


@pytest.mark.parametrize("body", [
    {"state": {"energy": 101}},
    {"state": {"energy": -1}},
    {"state": {"hunger": 101}},
    {"state": {"hunger": -5}},
    {"state": {"energy": 50.5}},
    {"state": {"energy": "full"}},
    {"state": {"level": 0}},         # earned, never patched
    {"state": {"xp": -1}},
    {"state": {"xp": 1000}},
    {"state": {"traits": ["not", "an", "object"]}},
    {"state": {"traits": {f"k{i}": i for i in range(33)}}},
    {"state": None},
    {"name": ""},
    {"name": "x" * 51},
    {"owner": "someone"},
])
async def test_patch_cannot_push_state_out_of_range(client, body):
    account = await signup(client)
    pet = await create_pet(client, account)
    assert_problem(await client.patch(f"/pets/{pet['id']}", headers=account.headers, json=body), 400)
    assert (await client.get(f"/pets/{pet['id']}", headers=account.headers)).json() == pet


@pytest.mark.parametrize("body", [
    {},
    {"name": 5},
    {"name": "ok", "state": {"energy": 200}},
    {"name": "ok", "state": {"xp": 10}},
    {"name": "ok", "extra": True},
])
async def test_bad_create_is_400_and_stores_nothing(client, conn, body):
    account = await signup(client)
    assert_problem(await client.post("/pets", headers=account.headers, json=body), 400)
    assert await conn.fetchval("SELECT count(*) FROM pets") == 0


async def test_malformed_json_is_400(client, conn):
    account = await signup(client)
    response = await client.post("/pets", headers={**account.headers, "Content-Type": "application/json"},
                                 content=b'{"name": ')
    assert_problem(response, 400)
    assert await conn.fetchval("SELECT count(*) FROM pets") == 0


async def test_sql_looking_names_are_stored_verbatim(client):
    account = await signup(client)
    name = "'); DROP TABLE pets;--"
    pet = await create_pet(client, account, name=name)
    assert (await client.get(f"/pets/{pet['id']}", headers=account.headers)).json()["name"] == name


@pytest.mark.parametrize(("column", "value"), [
    ("energy", 101), ("energy", -1), ("hunger", 101), ("hunger", -1), ("level", 0), ("xp", -1),
])
async def test_database_checks_are_the_last_wall(client, conn, column, value):
    account = await signup(client)
    pet = await create_pet(client, account)
    with pytest.raises(asyncpg.CheckViolationError):
        # column comes from the parametrize list above, never from input
        await conn.execute(f"UPDATE pets SET {column} = $1 WHERE id = $2", value, pet["id"])  # noqa: S608
    with pytest.raises(asyncpg.CheckViolationError):
        await conn.execute("UPDATE pets SET traits = '[]'::jsonb WHERE id = $1", pet["id"])


async def test_another_users_pet_is_404_on_every_verb_and_unchanged(client):
    alice = await signup(client)
    bob = await signup(client)
    pet = await create_pet(client, alice)
    url = f"/pets/{pet['id']}"
    assert_problem(await client.get(url, headers=bob.headers), 404)
    assert_problem(await client.patch(url, headers=bob.headers, json={"state": {"energy": 1}}), 404)
    assert_problem(await client.delete(url, headers=bob.headers), 404)
    assert (await client.get("/pets", headers=bob.headers)).json()["items"] == []
    assert (await client.get(url, headers=alice.headers)).json() == pet


async def test_delete_pet_and_missing_ids(client):
    account = await signup(client)
    pet = await create_pet(client, account)
    assert (await client.delete(f"/pets/{pet['id']}", headers=account.headers)).status_code == 204
    assert_problem(await client.get(f"/pets/{pet['id']}", headers=account.headers), 404)
    assert_problem(await client.delete(f"/pets/{pet['id']}", headers=account.headers), 404)
    assert (await client.get("/pets/not-a-uuid", headers=account.headers)).status_code in (400, 404)


async def test_pets_need_a_bearer_token(client):
    assert_problem(await client.get("/pets"), 401)
    assert_problem(await client.post("/pets", json={"name": "x"}), 401)
