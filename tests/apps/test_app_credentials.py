"""App credentials: the client-credentials grant, who may post role assistant, rotation, revocation,
audit, purge, and the CLI (issue #12)."""

from __future__ import annotations

import base64
import uuid
from datetime import timedelta
from urllib.parse import quote

import asyncpg
import jwt
import pytest

from service.accounts.passwords import Passwords
from service.apps import logic as apps_logic
from service.apps import repo as apps_repo
from service.config import DEV_JWT_SECRET, load_settings
from tests.chats.util import group_of, new_chat, say
from tests.helpers import app_signin, app_token, assert_problem, create_app_client, signup
from tests.platform.test_cli import run_cli

ASSISTANT = {"content": "Split evenly: $32.00 each.", "role": "assistant", "action": "split",
             "thinking": ["96 / 3 = 32"], "drawer_data": {"total": "96.00"}}


def basic(client_id: str, secret: str) -> dict[str, str]:
    raw = f"{quote(client_id, safe='')}:{quote(secret, safe='')}".encode()
    return {"Authorization": "Basic " + base64.b64encode(raw).decode()}


async def audit_events(conn, client_id: str) -> list[str]:
    rows = await conn.fetch("SELECT event, user_id FROM audit_log WHERE details->>'app_client_id' = $1 ORDER BY id",
                            client_id)
    assert all(r["user_id"] is None for r in rows)
    return [r["event"] for r in rows]


# ---- the grant ------------------------------------------------------------------------------------


async def test_client_credentials_grant_by_form_json_and_basic(client, conn):
    client_id, secret = await create_app_client(conn, "lattice")
    by_form = await app_token(client, client_id, secret)
    assert by_form["token_type"] == "Bearer" and by_form["scope"] == "chat:assistant"
    assert by_form["expires_in"] == 900 and "refresh_token" not in by_form
    by_json = await client.post("/auth/token", json={"grant_type": "client_credentials", "client_id": client_id,
                                                     "client_secret": secret, "scope": "chat:assistant"})
    assert by_json.status_code == 200, by_json.text
    by_basic = await client.post("/auth/token", headers=basic(client_id, secret),
                                 data={"grant_type": "client_credentials"})
    assert by_basic.status_code == 200, by_basic.text
    claims = jwt.decode(by_basic.json()["access_token"], DEV_JWT_SECRET, algorithms=["HS256"])
    # Litestar's Token puts custom claims under "extras"
    assert claims["sub"] == client_id and claims["extras"] == {"kind": "app", "scope": "chat:assistant"}
    assert await audit_events(conn, client_id) == ["app_client_create"] + ["app_token_issue"] * 3


async def test_the_password_grant_still_works_and_user_tokens_carry_no_kind(client):
    account = await signup(client, "grant@example.com")
    response = await client.post("/auth/token", json={"grant_type": "password", "username": account.email,
                                                      "password": account.password})
    assert response.status_code == 200, response.text
    claims = jwt.decode(response.json()["access_token"], DEV_JWT_SECRET, algorithms=["HS256"])
    assert "kind" not in claims.get("extras", {}) and claims["sub"] == account.id


async def test_wrong_secret_unknown_and_malformed_client_are_one_401(client, conn):
    client_id, _ = await create_app_client(conn)
    answers = []
    for cid, secret in ((client_id, "wrong"), (str(uuid.uuid4()), "wrong"), ("not-a-uuid", "wrong")):
        answers.append(assert_problem(await client.post("/auth/token", data={
            "grant_type": "client_credentials", "client_id": cid, "client_secret": secret}), 401))
    assert answers[0] == answers[1] == answers[2] and answers[0]["error"] == "invalid_client"


@pytest.mark.parametrize(("body", "field"), [
    ({"grant_type": "client_credentials", "client_secret": "s"}, "client_id"),
    ({"grant_type": "client_credentials", "client_id": "x"}, "client_secret"),
    ({"grant_type": "client_credentials", "client_id": "x" * 65, "client_secret": "s"}, "client_id"),
    ({"grant_type": "authorization_code", "code": "c"}, "grant_type"),
    ({"grant_type": "password", "username": "a@b.c"}, "password"),
])
async def test_a_malformed_grant_is_a_400_naming_the_field(client, body, field):
    problem = assert_problem(await client.post("/auth/token", data=body), 400)
    assert problem["errors"][0]["pointer"] == f"/{field}"


async def test_basic_auth_only_for_client_credentials_on_the_token_route_and_only_once(client, conn):
    client_id, secret = await create_app_client(conn)
    both = await client.post("/auth/token", headers=basic(client_id, secret),
                             data={"grant_type": "client_credentials", "client_id": client_id,
                                   "client_secret": secret})
    assert_problem(both, 400)
    # the password grant ignores the header (the user is the body's); Basic on any other route is 401
    account = await signup(client)
    with_password = await client.post("/auth/token", headers=basic(client_id, secret),
                                      data={"grant_type": "password", "username": account.email,
                                            "password": account.password})
    assert with_password.status_code == 200, with_password.text
    assert_problem(await client.get("/me", headers=basic(client_id, secret)), 401)
    assert_problem(await client.post("/auth/token", headers={"Authorization": "Bearer x"},
                                     data={"grant_type": "client_credentials"}), 400)
    assert_problem(await client.post("/auth/token", content=b"grant_type=client_credentials",
                                     headers={"content-type": "text/plain"}), 415)


async def test_a_scope_the_client_does_not_hold_is_400(client, conn):
    client_id, secret = await create_app_client(conn, scopes=())
    problem = assert_problem(await client.post("/auth/token", data={
        "grant_type": "client_credentials", "client_id": client_id, "client_secret": secret,
        "scope": "chat:assistant"}), 400)
    assert problem["error"] == "invalid_scope" and problem["errors"][0]["pointer"] == "/scope"
    assert (await app_token(client, client_id, secret))["scope"] == ""


# ---- who may post role assistant ---------------------------------------------------------------------


async def test_app_token_with_the_scope_posts_assistant_messages_to_any_chat(client, conn):
    alice, bob = await signup(client), await signup(client)
    app = await app_signin(client, conn)
    group = await group_of(client, alice, bob)
    solo = await new_chat(client, bob)
    for chat in (group, solo):
        reply = await client.post(f"/chats/{chat['id']}/messages", headers=app.headers, json=ASSISTANT)
        assert reply.status_code == 201, reply.text
        assert reply.json()["role"] == "assistant" and reply.json()["sender_id"] is None
    listed = (await client.get(f"/chats/{group['id']}/messages", headers=alice.headers)).json()["items"]
    assert [m["role"] for m in listed] == ["assistant"]
    missing = await client.post("/chats/00000000-0000-4000-8000-000000000000/messages", headers=app.headers,
                                json=ASSISTANT)
    assert_problem(missing, 404)


async def test_a_user_token_posting_role_assistant_is_403_and_writes_nothing(client, conn):
    alice = await signup(client)
    chat = await new_chat(client, alice)
    forged = await client.post(f"/chats/{chat['id']}/messages", headers=alice.headers, json=ASSISTANT)
    assert_problem(forged, 403)
    assert await conn.fetchval("SELECT count(*) FROM messages") == 0


async def test_an_app_token_without_the_scope_is_403(client, conn):
    alice = await signup(client)
    chat = await new_chat(client, alice)
    app = await app_signin(client, conn, scopes=())
    assert_problem(await client.post(f"/chats/{chat['id']}/messages", headers=app.headers, json=ASSISTANT), 403)
    assert await conn.fetchval("SELECT count(*) FROM messages") == 0


async def test_an_app_token_is_not_a_user(client, conn):
    alice = await signup(client)
    chat = await new_chat(client, alice)
    app = await app_signin(client, conn)
    assert_problem(await client.get("/me", headers=app.headers), 403)
    assert_problem(await client.get("/chats", headers=app.headers), 403)
    assert_problem(await client.post("/chats", headers=app.headers, json={"kind": "solo"}), 403)
    as_user = await client.post(f"/chats/{chat['id']}/messages", headers=app.headers, json={"content": "hi"})
    assert_problem(as_user, 403)


async def test_a_revoked_app_gets_401_at_once_and_cannot_get_a_new_token(client, conn):
    alice = await signup(client)
    chat = await new_chat(client, alice)
    app = await app_signin(client, conn, name="revoked-app")
    await say(client, app, chat["id"], "before", role="assistant")
    await apps_logic.revoke_client(conn, "revoked-app")
    # the token is still well signed and unexpired: the INSERT's join on the active client refuses it
    assert_problem(await client.post(f"/chats/{chat['id']}/messages", headers=app.headers, json=ASSISTANT), 401)
    assert await conn.fetchval("SELECT count(*) FROM messages") == 1
    assert_problem(await client.post("/auth/token", data={
        "grant_type": "client_credentials", "client_id": app.id, "client_secret": app.secret}), 401)
    assert await audit_events(conn, app.id) == ["app_client_create", "app_token_issue", "app_client_revoke"]
    # kept (for the audit's retention) until purged
    assert await conn.fetchval("SELECT revoked_at IS NOT NULL FROM app_clients WHERE id = $1::uuid", app.id)


# ---- rotation -------------------------------------------------------------------------------------------


async def test_rotation_keeps_the_previous_secret_for_the_grace_period_only(client, conn):
    client_id, old = await create_app_client(conn, "rotating")
    passwords = Passwords(load_settings(environ={}, argon2_time_cost=1, argon2_memory_kib=1024, argon2_parallelism=1))
    rotated_id, new, _until = await apps_logic.rotate_secret(conn, passwords, "rotating", 3600)
    assert str(rotated_id) == client_id and new != old
    await app_token(client, client_id, new)
    await app_token(client, client_id, old)  # grace period
    # the grace period ends (moved, not waited for)
    await conn.execute("UPDATE app_clients SET previous_secret_expires_at = now() - interval '1 second' "
                       "WHERE id = $1::uuid", client_id)
    assert_problem(await client.post("/auth/token", data={
        "grant_type": "client_credentials", "client_id": client_id, "client_secret": old}), 401)
    await app_token(client, client_id, new)
    events = await audit_events(conn, client_id)
    assert events[:2] == ["app_client_create", "app_secret_rotate"] and events.count("app_token_issue") == 3
    with pytest.raises(LookupError):
        await apps_logic.rotate_secret(conn, passwords, "no-such-app", 60)


# ---- schema rules, purge ------------------------------------------------------------------------------------


async def test_the_schema_refuses_unknown_scopes_bad_names_and_duplicate_names(conn):
    await create_app_client(conn, "taken")
    for name, scopes in (("taken", ["chat:assistant"]), ("Bad Name", []), ("ok-name", ["admin"])):
        with pytest.raises(asyncpg.IntegrityConstraintViolationError):
            await conn.execute("INSERT INTO app_clients (name, secret_hash, scopes) VALUES ($1, 'h', $2)",
                               name, scopes)


async def test_purge_removes_only_clients_revoked_longer_ago_than_the_retention(conn):
    keep_active, _ = await create_app_client(conn, "active-app")
    recent, _ = await create_app_client(conn, "recently-revoked")
    old, _ = await create_app_client(conn, "long-revoked")
    await apps_logic.revoke_client(conn, "recently-revoked")
    await apps_logic.revoke_client(conn, "long-revoked")
    await conn.execute("UPDATE app_clients SET created_at = now() - interval '400 days', "
                       "revoked_at = now() - interval '366 days' WHERE id = $1::uuid", old)
    assert await apps_repo.purge_revoked_app_clients(conn, timedelta(days=365)) == 1
    left = {str(r["id"]) for r in await conn.fetch("SELECT id FROM app_clients")}
    assert left == {keep_active, recent}
    assert "app_client_revoke" in await audit_events(conn, old)  # the audit rows stay


# ---- the CLI ------------------------------------------------------------------------------------------------


def test_cli_create_list_rotate_revoke(db_url):
    created = run_cli("apps", "create", "cli-app", db_url=db_url)
    assert created.returncode == 0, created.stdout + created.stderr
    lines = dict(line.split(":", 1) for line in created.stdout.splitlines() if line.startswith("client_"))
    assert uuid.UUID(lines["client_id"].strip()) and len(lines["client_secret"].strip()) >= 40
    again = run_cli("apps", "create", "cli-app", db_url=db_url)
    assert again.returncode == 1 and "already exists" in again.stdout
    listed = run_cli("apps", "list", db_url=db_url)
    assert "cli-app" in listed.stdout and "scopes=chat:assistant" in listed.stdout and "active" in listed.stdout
    rotated = run_cli("apps", "rotate", "cli-app", "--grace", "60", db_url=db_url)
    assert rotated.returncode == 0 and "client_secret:" in rotated.stdout
    assert lines["client_secret"].strip() not in rotated.stdout
    assert run_cli("apps", "revoke", "cli-app", db_url=db_url).returncode == 0
    assert "revoked" in run_cli("apps", "list", db_url=db_url).stdout
    assert run_cli("apps", "revoke", "cli-app", db_url=db_url).returncode == 1
