"""Bearer tokens of the configured external issuer: first sight creates the account, then it is reused."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import time

import jwt
import pytest

from service.accounts import logic as accounts_logic
from tests.auth_external.conftest import (
    AUDIENCE,
    HMAC_SECRET,
    ISSUER,
    bearer,
    claims,
    client_for,
    external_settings,
    public_pem,
)
from tests.helpers import assert_problem, purge_deleted_accounts, signup


def count_resolutions(app):
    """Wrap the app's external resolver; the list grows by one per database round trip."""
    external = app.state.auth.external
    calls = []
    original = external.resolve

    async def counting(*args):
        calls.append(args[1:3])
        return await original(*args)

    external.resolve = counting
    return calls


async def test_first_token_creates_a_passwordless_account(client, conn, hs256):
    response = await client.get("/me", headers=bearer(hs256("User_ABC123", name="Ada Lovelace")))
    assert response.status_code == 200, response.text
    me = response.json()
    assert (me["auth_provider"], me["auth_provider_id"]) == ("better-auth", "User_ABC123")
    assert me["email"] == "user_abc123@phase3.example.com"  # lower-cased
    assert me["display_name"] == "Ada Lovelace"
    row = await conn.fetchrow("SELECT auth_provider_id, password_hash FROM users WHERE id = $1::uuid", me["id"])
    assert (row["auth_provider_id"], row["password_hash"]) == ("User_ABC123", None)
    audit = await conn.fetch("SELECT event, details FROM audit_log WHERE user_id = $1::uuid", me["id"])
    assert [(a["event"], a["details"]) for a in audit] == [("register", {"provider": "better-auth"})]


async def test_the_same_subject_is_the_same_account_and_its_data_persists(app, client, conn, hs256):
    calls = count_resolutions(app)
    first = hs256()
    created = await client.post("/tasks", headers=bearer(first), json={"title": "from the chatbot"})
    assert created.status_code == 201, created.text
    again = hs256(iat=int(time.time()) - 1)  # a new token of the same subject
    assert again != first
    listed = (await client.get("/tasks", headers=bearer(again))).json()["items"]
    assert [t["title"] for t in listed] == ["from the chatbot"]
    assert await conn.fetchval("SELECT count(*) FROM users") == 1
    assert len(calls) == 1, "the second request must be served from the cache"


async def test_each_first_sight_creates_default_rows_in_the_same_transaction(client, conn, hs256, monkeypatch):
    seen = []

    async def on_user_created(connection, user_id):
        seen.append((user_id, connection.is_in_transaction()))

    monkeypatch.setattr(accounts_logic, "on_user_created", on_user_created)
    me = (await client.get("/me", headers=bearer(hs256("someone")))).json()
    await client.get("/me", headers=bearer(hs256("someone")))
    assert [(str(user_id), in_tx) for user_id, in_tx in seen] == [(me["id"], True)]


async def test_concurrent_first_requests_create_one_account(settings, conn, hs256, monkeypatch):
    created = []

    async def on_user_created(connection, user_id):
        created.append(user_id)

    monkeypatch.setattr(accounts_logic, "on_user_created", on_user_created)
    token = hs256("racer")
    async with client_for(settings) as (_, client):
        responses = await asyncio.gather(*(client.get("/me", headers=bearer(token)) for _ in range(8)))
    assert {r.status_code for r in responses} == {200}
    assert len({r.json()["id"] for r in responses}) == 1
    assert await conn.fetchval("SELECT count(*) FROM users WHERE auth_provider_id = 'racer'") == 1
    assert len(created) == 1
    assert await conn.fetchval("SELECT count(*) FROM audit_log WHERE event = 'register'") == 1


async def test_own_tokens_never_reach_the_external_resolver(app, client, hs256):
    calls = count_resolutions(app)
    account = await signup(client)
    assert (await client.get("/me", headers=account.headers)).status_code == 200
    assert (await client.get("/tasks", headers=account.headers)).status_code == 200
    assert calls == []


async def test_missing_or_unusable_email_gets_a_placeholder(client, hs256):
    plain = (await client.get("/me", headers=bearer(hs256("plain-sub", email=None)))).json()
    assert plain["email"] == "plain-sub@better-auth.invalid"
    odd = (await client.get("/me", headers=bearer(hs256("Mixed Case/Sub", email="not an email")))).json()
    assert odd["email"].startswith("sub-") and odd["email"].endswith("@better-auth.invalid")
    other = (await client.get("/me", headers=bearer(hs256("mixed case/sub", email=None)))).json()
    assert other["id"] != odd["id"] and other["email"] != odd["email"]


async def test_email_held_by_a_password_account_is_409_and_nothing_is_created(client, conn, hs256):
    account = await signup(client, email="taken@example.com")
    response = await client.get("/me", headers=bearer(hs256("newcomer", email="Taken@Example.com")))
    assert assert_problem(response, 409)["detail"] == "an account with this email already exists"
    assert await conn.fetchval("SELECT count(*) FROM users") == 1
    me = (await client.get("/me", headers=account.headers)).json()
    assert (me["auth_provider"], me["auth_provider_id"]) == ("password", None)


async def test_external_and_password_users_are_isolated(client, hs256):
    account = await signup(client)
    task = (await client.post("/tasks", headers=account.headers, json={"title": "private"})).json()
    external = bearer(hs256("outsider"))
    assert_problem(await client.get(f"/tasks/{task['id']}", headers=external), 404)
    assert_problem(await client.patch(f"/tasks/{task['id']}", headers=external, json={"completed": True}), 404)
    assert_problem(await client.delete(f"/tasks/{task['id']}", headers=external), 404)
    assert (await client.get("/tasks", headers=external)).json()["items"] == []
    assert (await client.get(f"/tasks/{task['id']}", headers=account.headers)).json() == task


async def test_deactivated_external_account_is_401(client, conn, hs256):
    await conn.execute("INSERT INTO users (email, auth_provider, auth_provider_id, is_active)"
                       " VALUES ('off@example.com', 'better-auth', 'switched-off', false)")
    assert_problem(await client.get("/me", headers=bearer(hs256("switched-off"))), 401)


async def test_a_deleted_external_account_is_created_afresh_once_the_cache_forgets(db_url, conn, hs256):
    async with client_for(external_settings(db_url, external_auth_cache_ttl_s=0)) as (_, client):
        first = (await client.get("/me", headers=bearer(hs256("comeback")))).json()
        await client.post("/tasks", headers=bearer(hs256("comeback")), json={"title": "old"})
        assert (await client.delete("/me", headers=bearer(hs256("comeback")))).status_code == 204
        await purge_deleted_accounts(conn)  # the row and its cascades go with the account_purge job
        second = (await client.get("/me", headers=bearer(hs256("comeback")))).json()
        assert second["id"] != first["id"]
        assert (await client.get("/tasks", headers=bearer(hs256("comeback")))).json()["items"] == []
    assert await conn.fetchval("SELECT count(*) FROM tasks") == 0


@pytest.mark.parametrize("key_fixture, algorithm", [("rsa_key", "RS256"), ("ec_key", "ES256"),
                                                    ("ed_key", "EdDSA")])
async def test_public_key_issuers_are_verified_with_their_pinned_algorithm(request, db_url, conn, key_fixture,
                                                                          algorithm):
    key = request.getfixturevalue(key_fixture)
    settings = external_settings(db_url, external_auth_secret=None, external_auth_public_key=public_pem(key))
    async with client_for(settings) as (app, client):
        assert app.state.auth.external.algorithm == algorithm
        good = jwt.encode(claims(f"sub-{algorithm.lower()}"), key, algorithm=algorithm)
        assert (await client.get("/me", headers=bearer(good))).status_code == 200
        # The key's text used as an HMAC secret (the classic algorithm confusion) is refused.
        confused = hand_signed_hs256(claims("confused"), public_pem(key).encode())
        assert_problem(await client.get("/me", headers=bearer(confused)), 401)
        other = {"rsa_key": "ec_key", "ec_key": "ed_key", "ed_key": "rsa_key"}[key_fixture]
        other_alg = {"rsa_key": "ES256", "ec_key": "EdDSA", "ed_key": "RS256"}[key_fixture]
        wrong_key = jwt.encode(claims("intruder"), request.getfixturevalue(other), algorithm=other_alg)
        assert_problem(await client.get("/me", headers=bearer(wrong_key)), 401)
    assert await conn.fetchval("SELECT count(*) FROM users") == 1


async def test_rsa_token_signed_by_another_rsa_key_is_401(db_url, conn, rsa_key):
    from cryptography.hazmat.primitives.asymmetric import rsa

    impostor = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    settings = external_settings(db_url, external_auth_secret=None, external_auth_public_key=public_pem(rsa_key))
    async with client_for(settings) as (_, client):
        token = jwt.encode(claims("victim"), impostor, algorithm="RS256")
        assert_problem(await client.get("/me", headers=bearer(token)), 401)
    assert await conn.fetchval("SELECT count(*) FROM users") == 0


def hand_signed_hs256(payload, secret: bytes) -> str:
    """An HS256 token with any bytes as the secret (PyJWT refuses to sign with a PEM key, attackers don't)."""
    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    signing_input = f"{part(json.dumps({'alg': 'HS256', 'typ': 'JWT'}).encode())}.{part(json.dumps(payload).encode())}"
    return f"{signing_input}.{part(hmac.new(secret, signing_input.encode(), hashlib.sha256).digest())}"


def _unsigned(payload):
    return jwt.encode(payload, None, algorithm="none")


@pytest.mark.parametrize("make_token", [
    pytest.param(lambda: jwt.encode(claims(iss="https://elsewhere.example.com"), HMAC_SECRET, algorithm="HS256"),
                 id="unconfigured-issuer"),
    pytest.param(lambda: jwt.encode(claims(aud="https://other-api.example.com"), HMAC_SECRET, algorithm="HS256"),
                 id="wrong-audience"),
    pytest.param(lambda: jwt.encode(claims(aud=None), HMAC_SECRET, algorithm="HS256"), id="no-audience"),
    pytest.param(lambda: jwt.encode(claims(exp=int(time.time()) - 5, iat=int(time.time()) - 600), HMAC_SECRET,
                                    algorithm="HS256"), id="expired"),
    pytest.param(lambda: jwt.encode(claims(exp=None), HMAC_SECRET, algorithm="HS256"), id="no-exp"),
    pytest.param(lambda: jwt.encode(claims(nbf=int(time.time()) + 600), HMAC_SECRET, algorithm="HS256"),
                 id="not-yet-valid"),
    pytest.param(lambda: jwt.encode(claims(sub=None), HMAC_SECRET, algorithm="HS256"), id="no-sub"),
    pytest.param(lambda: jwt.encode(claims(sub="x" * 256), HMAC_SECRET, algorithm="HS256"), id="sub-too-long"),
    pytest.param(lambda: jwt.encode(claims(), "a-different-secret-of-enough-length-000", algorithm="HS256"),
                 id="bad-signature"),
    pytest.param(lambda: jwt.encode(claims(), HMAC_SECRET, algorithm="HS512"), id="other-hmac-algorithm"),
    pytest.param(lambda: _unsigned(claims()), id="alg-none"),
    pytest.param(lambda: jwt.encode(claims(), HMAC_SECRET, algorithm="HS256")[:-4] + "AAAA", id="tampered"),
    pytest.param(lambda: "not.a.jwt", id="garbage"),
])
async def test_bad_external_tokens_are_401_and_create_nothing(client, conn, make_token):
    assert_problem(await client.get("/me", headers=bearer(make_token())), 401)
    assert_problem(await client.post("/tasks", headers=bearer(make_token()), json={"title": "x"}), 401)
    assert await conn.fetchval("SELECT count(*) FROM users") == 0


async def test_our_secret_cannot_sign_for_the_external_issuer(client, conn, settings):
    token = jwt.encode(claims(), settings.jwt_secret, algorithm="HS256")
    assert_problem(await client.get("/me", headers=bearer(token)), 401)
    assert await conn.fetchval("SELECT count(*) FROM users") == 0


async def test_the_external_secret_cannot_sign_our_own_tokens(client, conn):
    account = await signup(client)
    now = int(time.time())
    forged = jwt.encode({"sub": account.id, "iat": now, "exp": now + 300}, HMAC_SECRET, algorithm="HS256")
    assert_problem(await client.get("/me", headers=bearer(forged)), 401)


async def test_openapi_still_documents_the_bearer_scheme(client):
    schema = (await client.get("/schema/openapi.json")).json()
    scheme = schema["components"]["securitySchemes"]["BearerToken"]
    assert (scheme["type"], scheme["scheme"], scheme["bearerFormat"]) == ("http", "bearer", "JWT")
    password = schema["components"]["securitySchemes"]["OAuth2Password"]
    assert password["flows"]["password"]["tokenUrl"] == "/auth/token"
    assert ISSUER in scheme["description"] and AUDIENCE in scheme["description"]


async def test_hand_signing_makes_valid_tokens_so_the_confusion_test_means_something(client):
    token = hand_signed_hs256(claims("handmade"), HMAC_SECRET.encode())
    assert (await client.get("/me", headers=bearer(token))).status_code == 200
