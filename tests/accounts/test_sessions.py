import asyncio

from tests.helpers import PASSWORD, assert_problem, login, signup


async def refresh(client, token):
    return await client.post("/auth/refresh", json={"refresh_token": token})


async def test_refresh_rotates_and_old_token_stops_working(client):
    account = await signup(client)
    first = await refresh(client, account.refresh_token)
    assert first.status_code == 200
    new = first.json()
    assert new["refresh_token"] != account.refresh_token
    me = await client.get("/me", headers={"Authorization": f"Bearer {new['access_token']}"})
    assert me.status_code == 200
    # the used token is refused, and that reuse revokes the session: the new token dies too
    assert_problem(await refresh(client, account.refresh_token), 401)
    assert_problem(await refresh(client, new["refresh_token"]), 401)


async def test_reuse_is_audited_and_revokes_the_session(client, conn):
    account = await signup(client)
    await refresh(client, account.refresh_token)
    await refresh(client, account.refresh_token)
    row = await conn.fetchrow("SELECT revoked_reason FROM auth_sessions WHERE user_id = $1::uuid", account.id)
    assert row["revoked_reason"] == "reuse"
    assert await conn.fetchval("SELECT count(*) FROM audit_log WHERE event = 'token_reuse'") == 1


async def test_concurrent_refreshes_of_one_token_rotate_once(client):
    account = await signup(client)
    results = await asyncio.gather(*[refresh(client, account.refresh_token) for _ in range(5)])
    assert sorted(r.status_code for r in results) == [200, 401, 401, 401, 401]


async def test_logout_revokes_refresh_token_at_once(client, conn):
    account = await signup(client)
    response = await client.post("/auth/logout", headers=account.headers)
    assert response.status_code == 204
    assert_problem(await refresh(client, account.refresh_token), 401)
    events = await conn.fetch("SELECT event FROM audit_log WHERE user_id = $1::uuid ORDER BY id", account.id)
    assert events[-1]["event"] == "logout"


async def test_logout_needs_a_token(client):
    assert_problem(await client.post("/auth/logout"), 401)


async def test_malformed_refresh_tokens_are_401_or_400(client):
    for token in ["garbage", "00000000-0000-0000-0000-000000000000.secret", "x.y.z"]:
        assert_problem(await refresh(client, token), 401)
    assert_problem(await refresh(client, ""), 400)
    assert_problem(await client.post("/auth/refresh", json={}), 400)


async def test_password_change_revokes_other_sessions_only(client, conn):
    account = await signup(client)
    other = await login(client, account.email, PASSWORD)
    response = await client.post("/me/password", headers=account.headers,
                                 json={"current_password": PASSWORD, "new_password": "a brand new secret"})
    assert response.status_code == 204
    assert_problem(await refresh(client, other["refresh_token"]), 401)
    assert (await refresh(client, account.refresh_token)).status_code == 200
    assert_problem(await client.post("/auth/login", json={"email": account.email, "password": PASSWORD}), 401)
    await login(client, account.email, "a brand new secret")
    events = [r["event"] for r in await conn.fetch("SELECT event FROM audit_log ORDER BY id")]
    assert "password_change" in events


async def test_password_change_needs_the_current_password(client, conn):
    account = await signup(client)
    before = await conn.fetchval("SELECT password_hash FROM users WHERE id = $1::uuid", account.id)
    assert_problem(await client.post("/me/password", headers=account.headers,
                                     json={"current_password": "wrong", "new_password": "a brand new secret"}), 403)
    assert_problem(await client.post("/me/password", headers=account.headers,
                                     json={"current_password": PASSWORD, "new_password": "short"}), 400)
    assert await conn.fetchval("SELECT password_hash FROM users WHERE id = $1::uuid", account.id) == before
