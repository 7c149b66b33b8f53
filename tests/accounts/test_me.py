import uuid

import pytest

from tests.helpers import PASSWORD, assert_problem, purge_deleted_accounts, signup


async def test_patch_me_changes_only_given_fields(client):
    account = await signup(client, display_name="Before", username="before")
    response = await client.patch("/me", headers=account.headers,
                                  json={"display_name": "After", "preferences": {"theme": "dark"},
                                        "onboarding_status": "complete"})
    assert response.status_code == 200
    user = response.json()
    assert (user["display_name"], user["username"]) == ("After", "before")
    assert user["preferences"] == {"theme": "dark"}
    assert user["onboarding_status"] == "complete"
    assert user["updated_at"] > user["created_at"]


async def test_patch_me_null_clears_a_nullable_field(client):
    account = await signup(client, display_name="Someone")
    response = await client.patch("/me", headers=account.headers, json={"display_name": None})
    assert response.json()["display_name"] is None


async def test_patch_me_username_taken_is_409(client):
    await signup(client, username="taken")
    account = await signup(client)
    assert_problem(await client.patch("/me", headers=account.headers, json={"username": "TAKEN"}), 409)


@pytest.mark.parametrize("body", [
    {"onboarding_status": "finished"},
    {"preferences": ["not", "an", "object"]},
    {"preferences": "string"},
    {"display_name": ""},
    {"username": "has space"},
    {"email": "change@example.com"},  # not patchable
    {"is_active": False},
])
async def test_bad_patches_are_400_and_change_nothing(client, body):
    account = await signup(client, display_name="Same")
    before = (await client.get("/me", headers=account.headers)).json()
    assert_problem(await client.patch("/me", headers=account.headers, json=body), 400)
    assert (await client.get("/me", headers=account.headers)).json() == before


async def test_delete_me_removes_account_and_sessions(client, conn):
    account = await signup(client)
    response = await client.delete("/me", headers=account.headers)
    assert response.status_code == 204
    # Marked deleted; sessions (refresh tokens) gone at once; the row waits for the purge job.
    assert await conn.fetchval("SELECT deleted_at IS NOT NULL FROM users WHERE id = $1", uuid.UUID(account.id))
    assert await conn.fetchval("SELECT count(*) FROM auth_sessions") == 0
    row = await conn.fetchrow("SELECT user_id, details FROM audit_log WHERE event = 'account_delete'")
    assert row["user_id"] is None and row["details"] == {"user_id": account.id}
    # the access token still parses but its account is deleted: 401 at once, on every route
    assert_problem(await client.get("/me", headers=account.headers), 401)
    assert_problem(await client.post("/me/password", headers=account.headers,
                                     json={"current_password": PASSWORD, "new_password": "another-long-pass"}), 401)
    assert_problem(await client.post("/auth/refresh", json={"refresh_token": account.refresh_token}), 401)
    # a deleted account cannot sign in: the same 401 as a wrong password
    bad = assert_problem(await client.post("/auth/login", json={"email": account.email, "password": "wrong"}), 401)
    deleted = assert_problem(await client.post("/auth/login", json={"email": account.email, "password": PASSWORD}), 401)
    assert deleted["detail"] == bad["detail"]
    assert await purge_deleted_accounts(conn) == 1
    assert await conn.fetchval("SELECT count(*) FROM users") == 0


async def test_audit_is_paginated_newest_first_without_gaps(client):
    account = await signup(client)
    for _ in range(4):
        await client.post("/auth/login", json={"email": account.email, "password": "wrong"})
    seen, cursor = [], None
    while True:
        params = {"limit": 2} | ({"before": cursor} if cursor else {})
        page = (await client.get("/me/audit", headers=account.headers, params=params)).json()
        seen += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert [e["event"] for e in seen] == ["login_failed"] * 4 + ["login", "register"]
    ids = [e["id"] for e in seen]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == len(ids)


async def test_audit_is_private_to_its_user(client):
    alice = await signup(client)
    bob = await signup(client)
    items = (await client.get("/me/audit", headers=bob.headers)).json()["items"]
    assert {e["event"] for e in items} == {"register", "login"}
    assert all(alice.id not in str(e["details"]) for e in items)


@pytest.mark.parametrize("params", [{"before": "%%%"}, {"before": "bm90IGpzb24"}, {"limit": 0},
                                    {"limit": 201}, {"limit": "ten"}, {"before": "WyJ4Il0"}])
async def test_bad_audit_paging_is_400(client, params):
    account = await signup(client)
    assert_problem(await client.get("/me/audit", headers=account.headers, params=params), 400)


async def test_audit_client_addr_is_an_address_not_a_network(client, conn):
    account = await signup(client)
    await conn.execute("UPDATE audit_log SET client_addr = '127.0.0.1' WHERE user_id = $1::uuid", account.id)
    entries = (await client.get("/me/audit", headers=account.headers)).json()["items"]
    assert entries and {e["client_addr"] for e in entries} == {"127.0.0.1"}  # not 127.0.0.1/32


async def test_me_names_the_auth_provider(client):
    account = await signup(client)
    me = (await client.get("/me", headers=account.headers)).json()
    assert (me["auth_provider"], me["auth_provider_id"]) == ("password", None)
