import time

import jwt
import pytest
from argon2 import PasswordHasher

from service.config import DEV_JWT_SECRET
from tests.helpers import PASSWORD, assert_problem, login, signup


async def test_login_returns_bearer_tokens_that_open_me(client):
    account = await signup(client, "me@example.com")
    tokens = await login(client, "ME@example.com", PASSWORD)
    assert tokens["token_type"] == "bearer"
    assert tokens["expires_in"] == 900
    me = await client.get("/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert me.status_code == 200
    assert me.json()["id"] == account.id


async def test_oauth2_password_form_at_token(client):
    await signup(client, "form@example.com")
    response = await client.post("/auth/token", data={"username": "form@example.com", "password": PASSWORD,
                                                      "grant_type": "password"})
    assert response.status_code == 200
    assert response.json()["token_type"] == "bearer"


async def test_unknown_email_and_wrong_password_look_the_same(client, conn):
    await signup(client, "known@example.com")
    wrong = assert_problem(await client.post("/auth/login", json={"email": "known@example.com", "password": "nope"}),
                           401)
    unknown = assert_problem(await client.post("/auth/login", json={"email": "who@example.com", "password": "nope"}),
                             401)
    assert wrong == unknown
    reasons = await conn.fetch("SELECT details->>'reason' AS r FROM audit_log WHERE event = 'login_failed' ORDER BY id")
    assert [r["r"] for r in reasons] == ["bad_password", "unknown_email"]


async def test_unknown_email_still_runs_one_argon2_verification(client, app, monkeypatch):
    passwords = app.dependencies["passwords"].dependency()
    calls = []
    original = passwords._verify
    monkeypatch.setattr(passwords, "_verify", lambda h, p: calls.append(h) or original(h, p))
    assert_problem(await client.post("/auth/login", json={"email": "ghost@example.com", "password": "x"}), 401)
    assert len(calls) == 1 and calls[0].startswith("$argon2id$")


async def test_inactive_account_cannot_log_in(client, conn):
    account = await signup(client)
    await conn.execute("UPDATE users SET is_active = false WHERE id = $1::uuid", account.id)
    assert_problem(await client.post("/auth/login", json={"email": account.email, "password": PASSWORD}), 401)


async def test_external_account_without_password_gets_the_same_401(client, conn):
    await conn.execute("""INSERT INTO users (email, auth_provider, auth_provider_id)
                          VALUES ('ext@example.com', 'better-auth', 'sub-1')""")
    assert_problem(await client.post("/auth/login", json={"email": "ext@example.com", "password": PASSWORD}), 401)


async def test_old_argon2_parameters_are_rehashed_on_login(client, conn, settings):
    account = await signup(client)
    weaker = PasswordHasher(time_cost=1, memory_cost=512, parallelism=1).hash(PASSWORD)
    await conn.execute("UPDATE users SET password_hash = $2 WHERE id = $1::uuid", account.id, weaker)
    await login(client, account.email, PASSWORD)
    stored = await conn.fetchval("SELECT password_hash FROM users WHERE id = $1::uuid", account.id)
    assert stored != weaker
    assert f"m={settings.argon2_memory_kib},t={settings.argon2_time_cost}" in stored
    await login(client, account.email, PASSWORD)  # the new hash verifies


@pytest.mark.parametrize("header", [
    None,
    "Bearer not-a-jwt",
    "Basic dXNlcjpwYXNz",
    "Bearer " + jwt.encode({"sub": "00000000-0000-0000-0000-000000000000", "exp": int(time.time()) + 60},
                           "some-other-secret-that-is-long-enough-000", algorithm="HS256"),
    "Bearer " + jwt.encode({"sub": "00000000-0000-0000-0000-000000000000", "exp": int(time.time()) - 10,
                            "iat": int(time.time()) - 100}, DEV_JWT_SECRET, algorithm="HS256"),
    "Bearer " + jwt.encode({"sub": "00000000-0000-0000-0000-000000000000", "exp": int(time.time()) + 60},
                           None, algorithm="none"),
    "Bearer " + jwt.encode({"sub": "not-a-uuid", "exp": int(time.time()) + 60, "iat": int(time.time())},
                           DEV_JWT_SECRET, algorithm="HS256"),
    "Bearer " + jwt.encode({"sub": "00000000-0000-0000-0000-000000000000", "iat": int(time.time())},
                           DEV_JWT_SECRET, algorithm="HS256"),  # no exp
])
async def test_missing_forged_or_expired_tokens_are_401(client, header):
    headers = {"Authorization": header} if header else {}
    assert_problem(await client.get("/me", headers=headers), 401)
