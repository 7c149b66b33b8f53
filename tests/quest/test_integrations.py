import base64
import logging

import pytest

from service.config import load_settings
from service.quest.crypto import TokenCipher, cipher_for
from tests.helpers import assert_problem, signup
from tests.quest.support import ACCESS_TOKEN, REFRESH_TOKEN, SETTINGS, connect

PUBLIC_FIELDS = {"id", "provider", "external_account_id", "scopes", "status", "expires_at", "has_refresh_token",
                 "revoked_at", "created_at", "updated_at", "version"}


def assert_no_token(text: str) -> None:
    assert ACCESS_TOKEN not in text and REFRESH_TOKEN not in text
    assert "SECRET" not in text


async def test_connect_encrypts_tokens_at_rest_and_never_returns_them(client, conn):
    account = await signup(client)
    body = {"provider": "github", "external_account_id": "4242", "access_token": ACCESS_TOKEN,
            "refresh_token": REFRESH_TOKEN, "scopes": ["repo", "read:user"], "expires_at": "2030-01-01T00:00:00Z"}
    response = await client.post("/integrations", headers=account.headers, json=body)
    assert response.status_code == 201
    assert_no_token(response.text)
    integration = response.json()
    assert set(integration) == PUBLIC_FIELDS
    assert integration["status"] == "active" and integration["has_refresh_token"] is True
    assert integration["scopes"] == ["repo", "read:user"]

    row = await conn.fetchrow("SELECT user_id, provider, access_token_enc, refresh_token_enc, token_key_id "
                              "FROM integrations WHERE id = $1", integration["id"])
    for column in ("access_token_enc", "refresh_token_enc"):
        blob = bytes(row[column])
        assert ACCESS_TOKEN.encode() not in blob and REFRESH_TOKEN.encode() not in blob
        assert b"SECRET" not in blob and b"SECRET" not in base64.b64encode(blob)
    assert row["token_key_id"] == "dev"
    cipher = cipher_for(SETTINGS)
    aad = TokenCipher.associated_data(row["user_id"], "github", "access_token")
    assert cipher.decrypt(row["token_key_id"], bytes(row["access_token_enc"]), aad) == ACCESS_TOKEN
    # bound to its column: the refresh blob does not decrypt as an access token
    with pytest.raises(ValueError, match="does not decrypt"):
        cipher.decrypt("dev", bytes(row["refresh_token_enc"]), aad)

    for url in ("/integrations", f"/integrations/{integration['id']}", "/me/audit"):
        listed = await client.get(url, headers=account.headers)
        assert listed.status_code == 200
        assert_no_token(listed.text)


async def test_tokens_never_reach_logs_or_errors(client, caplog):
    account = await signup(client)
    caplog.set_level(logging.DEBUG)
    await connect(client, account, external_account_id="77")
    duplicate = await client.post("/integrations", headers=account.headers, json={
        "provider": "github", "external_account_id": "78", "access_token": ACCESS_TOKEN})
    assert_problem(duplicate, 409)
    bad = await client.post("/integrations", headers=account.headers, json={
        "provider": "gitlab", "external_account_id": "1", "access_token": ACCESS_TOKEN,
        "refresh_token": REFRESH_TOKEN})
    assert_problem(bad, 400)
    too_long = await client.post("/integrations", headers=account.headers, json={
        "provider": "github", "external_account_id": "1", "access_token": ACCESS_TOKEN * 200})
    assert_problem(too_long, 400)
    wrong_type = await client.post("/integrations", headers=account.headers, json={
        "provider": "fitbit", "external_account_id": "1", "access_token": ACCESS_TOKEN, "scopes": ACCESS_TOKEN})
    assert_problem(wrong_type, 400)
    for response in (duplicate, bad, too_long, wrong_type):
        assert_no_token(response.text)
    assert_no_token(caplog.text)


async def test_one_live_integration_per_provider_and_revoke_allows_reconnect(client, conn):
    account = await signup(client)
    first = await connect(client, account, external_account_id="1001")
    assert_problem(await client.post("/integrations", headers=account.headers, json={
        "provider": "github", "external_account_id": "1002", "access_token": "x"}), 409)
    await connect(client, account, provider="fitbit", external_account_id="ABC")  # another provider is fine

    assert (await client.delete(f"/integrations/{first['id']}", headers=account.headers)).status_code == 204
    row = await conn.fetchrow("SELECT status, access_token_enc, refresh_token_enc, token_key_id, revoked_at "
                              "FROM integrations WHERE id = $1", first["id"])
    assert row["status"] == "revoked" and row["revoked_at"] is not None
    assert (row["access_token_enc"], row["refresh_token_enc"], row["token_key_id"]) == (None, None, None)
    revoked = (await client.get(f"/integrations/{first['id']}", headers=account.headers)).json()
    assert revoked["status"] == "revoked" and revoked["has_refresh_token"] is False
    assert_problem(await client.delete(f"/integrations/{first['id']}", headers=account.headers), 404)

    again = await connect(client, account, external_account_id="1001")
    assert again["id"] != first["id"]
    items = (await client.get("/integrations", headers=account.headers)).json()["items"]
    assert [i["status"] for i in items] == ["active", "active", "revoked"]


async def test_a_provider_account_feeds_only_one_user(client):
    alice = await signup(client)
    bob = await signup(client)
    await connect(client, alice, external_account_id="555")
    response = await client.post("/integrations", headers=bob.headers, json={
        "provider": "github", "external_account_id": "555", "access_token": "x"})
    assert_problem(response, 409)


async def test_connect_and_revoke_are_audited(client, conn):
    account = await signup(client)
    integration = await connect(client, account, external_account_id="31337")
    await client.delete(f"/integrations/{integration['id']}", headers=account.headers)
    rows = await conn.fetch("SELECT user_id::text, event, details FROM audit_log "
                            "WHERE event LIKE 'integration_%' ORDER BY id")
    assert [(r["user_id"], r["event"]) for r in rows] == [
        (account.id, "integration_connect"), (account.id, "integration_revoke")]
    assert rows[0]["details"] == {"integration_id": integration["id"], "provider": "github",
                                  "external_account_id": "31337"}
    assert rows[1]["details"] == {"integration_id": integration["id"], "provider": "github"}
    events = [e["event"] for e in (await client.get("/me/audit", headers=account.headers)).json()["items"]]
    assert events[:2] == ["integration_revoke", "integration_connect"]


async def test_failed_connect_writes_no_audit_row(client, conn):
    account = await signup(client)
    await connect(client, account, external_account_id="1")
    await client.post("/integrations", headers=account.headers, json={
        "provider": "github", "external_account_id": "2", "access_token": "x"})
    assert await conn.fetchval("SELECT count(*) FROM audit_log WHERE event = 'integration_connect'") == 1


@pytest.mark.parametrize("body", [
    {"provider": "github", "external_account_id": "1"},
    {"provider": "github", "external_account_id": "", "access_token": "x"},
    {"provider": "github", "external_account_id": "1", "access_token": ""},
    {"provider": "github", "external_account_id": "1", "access_token": "x", "scopes": ["has space"]},
    {"provider": "github", "external_account_id": "1", "access_token": "x", "expires_at": "2030-01-01T00:00:00"},
    {"provider": "github", "external_account_id": "1", "access_token": "x", "status": "revoked"},
])
async def test_bad_connect_is_400_and_stores_nothing(client, conn, body):
    account = await signup(client)
    assert_problem(await client.post("/integrations", headers=account.headers, json=body), 400)
    assert await conn.fetchval("SELECT count(*) FROM integrations") == 0


async def test_another_users_integration_is_404_on_every_verb(client, conn):
    alice = await signup(client)
    bob = await signup(client)
    integration = await connect(client, alice)
    url = f"/integrations/{integration['id']}"
    assert_problem(await client.get(url, headers=bob.headers), 404)
    assert_problem(await client.delete(url, headers=bob.headers), 404)
    assert (await client.get("/integrations", headers=bob.headers)).json()["items"] == []
    assert (await client.get(url, headers=alice.headers)).json() == integration
    assert await conn.fetchval("SELECT count(*) FROM audit_log WHERE event = 'integration_revoke'") == 0


async def test_rotated_keys_still_decrypt_old_tokens(client, conn):
    account = await signup(client)
    integration = await connect(client, account)
    old = SETTINGS.quest_token_keys()
    new_key = base64.b64encode(b"n" * 32).decode()
    rotated = cipher_for(load_settings(environ={"TOKEN_KEYS": f"k2:{new_key},{old}"}))
    assert rotated.current_kid == "k2"
    row = await conn.fetchrow("SELECT user_id, token_key_id, access_token_enc FROM integrations WHERE id = $1",
                              integration["id"])
    aad = TokenCipher.associated_data(row["user_id"], "github", "access_token")
    assert rotated.decrypt(row["token_key_id"], bytes(row["access_token_enc"]), aad) == ACCESS_TOKEN


@pytest.mark.parametrize("value", ["nokey", "a:not-base64!", "a:" + base64.b64encode(b"short").decode(), ","])
def test_malformed_token_keys_are_refused_without_echoing_the_key(value):
    with pytest.raises(ValueError) as excinfo:
        load_settings(environ={"TOKEN_KEYS": value})
    assert "base64!" not in str(excinfo.value) and "c2hvcnQ" not in str(excinfo.value)


def test_production_refuses_development_secrets():
    base = {"SERVICE_ENV": "production", "JWT_SECRET": "x" * 40}
    settings = load_settings(environ=base)
    assert settings.quest_token_keys() is None and settings.webhook_secret("github") is None
    with pytest.raises(ValueError):
        load_settings(environ={**base, "TOKEN_KEYS": SETTINGS.quest_token_keys()})
    with pytest.raises(ValueError):
        load_settings(environ={**base, "WEBHOOK_SECRET_GITHUB": "dev-only-github-webhook-secret"})


async def test_patch_rotates_tokens_and_reseals_both_under_the_current_key(client, conn, db_url):
    """Issue #16: PATCH /integrations/{id}, served by an app whose newest key is k2."""
    from litestar.testing import AsyncTestClient

    from service.app import create_app
    from tests.conftest import CHEAP_ARGON2

    account = await signup(client)
    integration = await connect(client, account)
    old = SETTINGS.quest_token_keys()
    new_key = base64.b64encode(b"n" * 32).decode()
    settings = load_settings(environ={"TOKEN_KEYS": f"k2:{new_key},{old}"}, database_url=db_url, **CHEAP_ARGON2)
    rotated = cipher_for(settings)
    url = f"/integrations/{integration['id']}"
    async with AsyncTestClient(app=create_app(settings)) as rotating:
        response = await rotating.patch(url, headers=account.headers,
                                        json={"access_token": "new-access-SECRET", "scopes": ["repo", "user"]})
        assert response.status_code == 200, response.text
        body = response.json()
        assert set(body) == PUBLIC_FIELDS and body["scopes"] == ["repo", "user"] and body["has_refresh_token"]
        assert "new-access" not in response.text and body["version"] == integration["version"] + 1
        row = await conn.fetchrow("SELECT user_id, token_key_id, access_token_enc, refresh_token_enc "
                                  "FROM integrations WHERE id = $1", integration["id"])
        assert row["token_key_id"] == "k2"

        def opened(column: str) -> str:
            aad = TokenCipher.associated_data(row["user_id"], "github", column)
            return rotated.decrypt("k2", bytes(row[f"{column}_enc"]), aad)

        # the new access token, and the kept refresh token re-sealed under k2 (one key id per row)
        assert opened("access_token") == "new-access-SECRET" and opened("refresh_token") == REFRESH_TOKEN
        # erase the refresh token, set an expiry; the access token is kept (re-sealed)
        response = await rotating.patch(url, headers=account.headers,
                                        json={"refresh_token": None, "expires_at": "2030-01-01T00:00:00Z"})
        assert response.status_code == 200, response.text
        assert response.json()["has_refresh_token"] is False and response.json()["expires_at"].startswith("2030")
        row = await conn.fetchrow("SELECT user_id, token_key_id, access_token_enc, refresh_token_enc "
                                  "FROM integrations WHERE id = $1", integration["id"])
        assert row["refresh_token_enc"] is None and opened("access_token") == "new-access-SECRET"
        # bad input names the field; another user's or a revoked integration is 404
        problem = assert_problem(await rotating.patch(url, headers=account.headers, json={"scopes": "repo"}), 400)
        assert "scopes" in str(problem)
        assert_problem(await rotating.patch(url, headers=account.headers, json={"provider": "fitbit"}), 400)
        other = await signup(client)
        assert_problem(await rotating.patch(url, headers=other.headers, json={"scopes": []}), 404)
        assert (await rotating.delete(url, headers=account.headers)).status_code == 204
        assert_problem(await rotating.patch(url, headers=account.headers, json={"scopes": []}), 404)
