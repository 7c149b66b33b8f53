import asyncio

import msgspec
import pytest

from tests.helpers import assert_problem, signup
from tests.quest.support import connect, create_pet, fitbit_request, github_request, new_id, push, push_payload


async def counts(conn):
    return (await conn.fetchval("SELECT count(*) FROM events_raw"), await conn.fetchval("SELECT count(*) FROM events"))


async def test_good_signature_is_stored_and_processed(client, conn):
    account = await signup(client)
    integration = await connect(client, account)
    body, headers = github_request(push_payload(integration["external_account_id"], 2), delivery="d-1")
    response = await client.post("/webhooks/github", content=body, headers=headers)
    assert response.status_code == 200
    ack = response.json()
    assert ack["status"] == "processed"
    raw = await conn.fetchrow("SELECT provider, provider_event_id, event_type, user_id::text, status, payload, "
                              "processed_at FROM events_raw WHERE id = $1", ack["raw_event_id"])
    assert (raw["provider"], raw["provider_event_id"], raw["event_type"]) == ("github", "d-1", "push")
    assert raw["user_id"] == account.id and raw["status"] == "processed" and raw["processed_at"]
    assert raw["payload"] == msgspec.json.decode(body)


@pytest.mark.parametrize("case", ["missing", "bad", "altered", "other_secret", "wrong_provider_header", "garbage"])
async def test_bad_or_missing_signature_is_401_and_stores_nothing(client, conn, case):
    account = await signup(client)
    integration = await connect(client, account)
    body, headers = github_request(push_payload(integration["external_account_id"], 1))
    if case == "missing":
        del headers["X-Hub-Signature-256"]
    elif case == "bad":
        headers["X-Hub-Signature-256"] = "sha256=" + "0" * 64
    elif case == "altered":
        body = body.replace(b'"message":"work"', b'"message":"evil"')
    elif case == "other_secret":
        body, headers = github_request(push_payload(integration["external_account_id"], 1),
                                       secret="some-other-secret-value")
    elif case == "wrong_provider_header":
        headers["X-Fitbit-Signature-256"] = headers.pop("X-Hub-Signature-256")
    else:
        headers["X-Hub-Signature-256"] = "sha256=\u00e9\u00e9".encode("latin-1")
    assert_problem(await client.post("/webhooks/github", content=body, headers=headers), 401)
    assert await counts(conn) == (0, 0)


async def test_fitbit_signature_is_checked_with_its_own_secret(client, conn):
    account = await signup(client)
    await connect(client, account, provider="fitbit", external_account_id="FB1")
    body, headers = fitbit_request("FB1", 1000, "2024-05-01")
    signed_as_github, _ = github_request({"x": 1})
    bad = {**headers, "X-Fitbit-Signature-256": "sha256=" + "a" * 64}
    assert_problem(await client.post("/webhooks/fitbit", content=body, headers=bad), 401)
    assert await counts(conn) == (0, 0)
    ack = (await client.post("/webhooks/fitbit", content=body, headers=headers)).json()
    assert ack["status"] == "processed"
    assert signed_as_github  # the github signature header is not what fitbit reads


async def test_redelivery_is_200_and_changes_nothing(client, conn):
    account = await signup(client)
    integration = await connect(client, account)
    pet = await create_pet(client, account)
    body, headers = github_request(push_payload(integration["external_account_id"], 3), delivery="same")
    first = await client.post("/webhooks/github", content=body, headers=headers)
    assert first.json()["status"] == "processed"
    after_first = (await client.get(f"/pets/{pet['id']}", headers=account.headers)).json()
    snapshot = await conn.fetch("SELECT id, status, processed_at FROM events_raw")
    cache = await conn.fetch("SELECT day, kind, total, event_count, updated_at FROM metrics_cache")
    for _ in range(2):
        again = await client.post("/webhooks/github", content=body, headers=headers)
        assert again.status_code == 200
        assert again.json() == {"status": "duplicate", "raw_event_id": first.json()["raw_event_id"]}
    assert await conn.fetch("SELECT id, status, processed_at FROM events_raw") == snapshot
    assert await conn.fetch("SELECT day, kind, total, event_count, updated_at FROM metrics_cache") == cache
    assert await counts(conn) == (1, 1)
    assert (await client.get(f"/pets/{pet['id']}", headers=account.headers)).json() == after_first


async def test_concurrent_delivery_of_one_event_is_stored_once_and_counted_once(client, conn):
    account = await signup(client)
    integration = await connect(client, account)
    pet = await create_pet(client, account)
    body, headers = github_request(push_payload(integration["external_account_id"], 4), delivery="race")
    responses = await asyncio.gather(*(client.post("/webhooks/github", content=body, headers=headers)
                                       for _ in range(8)))
    statuses = sorted(r.json()["status"] for r in responses)
    assert all(r.status_code == 200 for r in responses)
    assert statuses == ["duplicate"] * 7 + ["processed"]
    raw_ids = {r.json()["raw_event_id"] for r in responses}  # each redelivery names the one stored delivery
    assert raw_ids == {await conn.fetchval("SELECT id FROM events_raw")}
    assert await counts(conn) == (1, 1)
    state = (await client.get(f"/pets/{pet['id']}", headers=account.headers)).json()["state"]
    assert state["xp"] == 40
    assert await conn.fetchval("SELECT total FROM metrics_cache") == 4


async def test_event_of_no_active_integration_is_stored_unmatched_and_not_applied(client, conn):
    account = await signup(client)
    integration = await connect(client, account)
    pet = await create_pet(client, account)
    body, headers = github_request(push_payload("123456789", 2))
    ack = (await client.post("/webhooks/github", content=body, headers=headers)).json()
    assert ack["status"] == "unmatched"
    row = await conn.fetchrow("SELECT user_id, status, processed_at FROM events_raw WHERE id = $1",
                              ack["raw_event_id"])
    assert (row["user_id"], row["status"], row["processed_at"]) == (None, "unmatched", None)
    # revoked integrations no longer receive events either
    await client.delete(f"/integrations/{integration['id']}", headers=account.headers)
    body, headers = github_request(push_payload(integration["external_account_id"], 2))
    assert (await client.post("/webhooks/github", content=body, headers=headers)).json()["status"] == "unmatched"
    assert await conn.fetchval("SELECT count(*) FROM events") == 0
    assert (await client.get(f"/pets/{pet['id']}", headers=account.headers)).json() == pet


async def test_ping_and_other_github_events_are_acknowledged_and_not_stored(client, conn):
    body, headers = github_request({"zen": "Keep it logically awesome.", "hook_id": 1}, event="ping")
    response = await client.post("/webhooks/github", content=body, headers=headers)
    assert response.status_code == 200 and response.json()["status"] == "ignored"
    assert await counts(conn) == (0, 0)


@pytest.mark.parametrize("case", ["not_json", "array", "no_sender", "sender_id_text", "no_delivery", "no_event"])
async def test_signed_but_malformed_github_delivery_is_400_and_stores_nothing(client, conn, case):
    payload = push_payload("1", 1)
    if case == "no_sender":
        del payload["sender"]
    if case == "sender_id_text":
        payload["sender"]["id"] = "abc"
    body, headers = github_request(payload)
    if case == "not_json":
        body, headers = github_request(payload)
        body = b"{not json"
    if case == "array":
        body = b"[1, 2]"
    if case in ("not_json", "array"):
        from service.quest.providers import sign
        from tests.quest.support import SETTINGS
        headers["X-Hub-Signature-256"] = sign(SETTINGS.webhook_secret("github"), body)
    if case == "no_delivery":
        del headers["X-GitHub-Delivery"]
    if case == "no_event":
        del headers["X-GitHub-Event"]
    assert_problem(await client.post("/webhooks/github", content=body, headers=headers), 400)
    assert await counts(conn) == (0, 0)


@pytest.mark.parametrize("payload", [
    {"id": "a", "owner_id": "FB", "date": "2024-13-01", "steps": 1},
    {"id": "a", "owner_id": "FB", "date": "2024-05-01", "steps": -1},
    {"id": "a", "owner_id": "FB", "date": "2024-05-01", "steps": 2_000_000},
    {"id": "", "owner_id": "FB", "date": "2024-05-01", "steps": 1},
    {"owner_id": "FB", "date": "2024-05-01", "steps": 1},
])
async def test_bad_fitbit_payload_is_400_and_stores_nothing(client, conn, payload):
    from service.quest.providers import sign
    from tests.quest.support import SETTINGS
    body = msgspec.json.encode(payload)
    headers = {"X-Fitbit-Signature-256": sign(SETTINGS.webhook_secret("fitbit"), body)}
    assert_problem(await client.post("/webhooks/fitbit", content=body, headers=headers), 400)
    assert await counts(conn) == (0, 0)


async def test_unknown_provider_is_404(client, conn):
    body, headers = github_request(push_payload("1", 1))
    assert_problem(await client.post("/webhooks/gitlab", content=body, headers=headers), 404)
    assert await counts(conn) == (0, 0)


async def test_a_late_webhook_is_applied_once_when_the_integration_is_connected(client, conn):
    """Issue #16: a delivery that arrived unmatched shortly before the connection is applied on connect,
    exactly once; one older than the window (24 h) stays unmatched."""
    account = await signup(client)
    pet = await create_pet(client, account)
    sender = str(800000 + new_id())
    early = await push(client, sender, 2)
    old = await push(client, sender, 5)
    assert early["status"] == old["status"] == "unmatched"
    await conn.execute("UPDATE events_raw SET received_at = now() - interval '25 hours' WHERE id = $1",
                       old["raw_event_id"])
    integration = await connect(client, account, external_account_id=sender)
    rows = {r["id"]: r["status"] for r in await conn.fetch("SELECT id, status FROM events_raw")}
    assert rows == {early["raw_event_id"]: "processed", old["raw_event_id"]: "unmatched"}
    state = (await client.get(f"/pets/{pet['id']}", headers=account.headers)).json()["state"]
    assert state["xp"] == 20  # 2 commits, applied once
    # revoke and connect again: nothing is applied a second time
    assert (await client.delete(f"/integrations/{integration['id']}", headers=account.headers)).status_code == 204
    await connect(client, account, external_account_id=sender)
    assert (await client.get(f"/pets/{pet['id']}", headers=account.headers)).json()["state"]["xp"] == 20
    assert await conn.fetchval("SELECT count(*) FROM events WHERE raw_event_id = $1", early["raw_event_id"]) == 1
