import pytest

from tests.helpers import PASSWORD, assert_problem, signup


async def test_register_returns_public_user_without_secrets(client, conn):
    response = await client.post("/auth/register", json={
        "email": "New.User@Example.COM", "password": PASSWORD, "username": "newbie", "display_name": "New"})
    assert response.status_code == 201
    user = response.json()
    assert user["email"] == "new.user@example.com"
    assert user["username"] == "newbie"
    assert user["onboarding_status"] == "incomplete"
    assert user["preferences"] == {}
    assert "password_hash" not in user and PASSWORD not in response.text and "argon2" not in response.text
    stored = await conn.fetchval("SELECT password_hash FROM users WHERE id = $1::uuid", user["id"])
    assert stored.startswith("$argon2id$")


async def test_duplicate_email_in_other_case_is_409(client, conn):
    await signup(client, "dup@example.com")
    body = assert_problem(await client.post("/auth/register",
                                            json={"email": "DUP@example.com", "password": PASSWORD}), 409)
    assert "email" in body["detail"]
    assert await conn.fetchval("SELECT count(*) FROM users") == 1


async def test_duplicate_username_regardless_of_case_is_409(client):
    await signup(client, username="Sam")
    body = assert_problem(await client.post("/auth/register", json={
        "email": "other@example.com", "password": PASSWORD, "username": "sam"}), 409)
    assert "username" in body["detail"]


async def test_register_writes_audit_row(client, conn):
    account = await signup(client)
    events = await conn.fetch("SELECT event FROM audit_log WHERE user_id = $1::uuid ORDER BY id", account.id)
    assert [e["event"] for e in events] == ["register", "login"]


@pytest.mark.parametrize("body", [
    {"password": PASSWORD},  # missing email
    {"email": "a@example.com"},  # missing password
    {"email": "not-an-email", "password": PASSWORD},
    {"email": "a@example.com", "password": "short"},
    {"email": "a@example.com", "password": PASSWORD, "username": "x"},  # too short
    {"email": "a@example.com", "password": PASSWORD, "username": "bad name!"},
    {"email": "a@example.com", "password": PASSWORD, "display_name": "x" * 101},
    {"email": "a@example.com", "password": PASSWORD, "admin": True},  # extra field
    {"email": 12, "password": PASSWORD},  # wrong type
    {"email": "a@example.com", "password": ["list"]},
    {"email": "x" * 250 + "@example.com", "password": PASSWORD},  # over-long
    ["not", "an", "object"],
])
async def test_bad_register_bodies_are_400_and_create_nothing(client, conn, body):
    assert_problem(await client.post("/auth/register", json=body), 400)
    assert await conn.fetchval("SELECT count(*) FROM users") == 0


async def test_malformed_json_is_400(client):
    response = await client.post("/auth/register", content=b'{"email": "a@example.com",',
                                 headers={"content-type": "application/json"})
    assert_problem(response, 400)


async def test_oversized_body_is_413(client, settings, conn):
    huge = {"email": "big@example.com", "password": PASSWORD, "display_name": "x" * (settings.max_body_bytes + 1)}
    assert_problem(await client.post("/auth/register", json=huge), 413)
    assert await conn.fetchval("SELECT count(*) FROM users") == 0


async def test_sql_looking_strings_are_stored_verbatim(client, conn):
    name = "Robert'); DROP TABLE users;--"
    response = await client.post("/auth/register", json={
        "email": "bobby@example.com", "password": "' OR '1'='1' --", "display_name": name})
    assert response.status_code == 201
    assert response.json()["display_name"] == name
    assert await conn.fetchval("SELECT display_name FROM users WHERE email = 'bobby@example.com'") == name
    tokens = await client.post("/auth/login", json={"email": "bobby@example.com", "password": "' OR '1'='1' --"})
    assert tokens.status_code == 200
