"""Idempotency claims carry a claim token: a request that overran the take-over window cannot
overwrite (or release) the response of the request that took its key over (tests/race.py).

Request A claims a key and is held inside its handler by a table lock (observed waiting in
pg_stat_activity, no sleep); its claim is then aged past the 60 s take-over window by an
UPDATE of created_at (no clock is waited on); request B takes the key over and completes;
only then is A released.  A's late completion must change nothing: the key replays B's
response.
"""

from __future__ import annotations

import asyncio
import uuid

from service.idempotency import repo
from tests.chats.test_owners import connections, threaded_client
from tests.helpers import assert_problem, signup
from tests.race import started_and_blocked

AGE_PAST_TAKEOVER = """
UPDATE idempotency_keys
SET created_at = now() - interval '61 seconds'
WHERE user_id = $1::uuid AND idem_key = $2
"""


async def test_a_request_that_overran_the_takeover_window_cannot_overwrite_the_new_claim(client, conn, db_url,
                                                                                          settings):
    account = await signup(client)
    key = "overrun-1"
    headers = {**account.headers, "Idempotency-Key": key}
    with threaded_client(settings) as http:
        async with connections(db_url, 1) as (b,):
            tx = b.transaction()
            await tx.start()
            await b.execute("LOCK TABLE tasks IN EXCLUSIVE MODE")  # A's INSERT waits here
            slow = await started_and_blocked(
                conn, asyncio.to_thread(http.post, "/tasks", headers=headers, json={"title": "slow"}),
                exclude=(b.get_server_pid(),))
            first_token = await conn.fetchval(
                "SELECT claim_token FROM idempotency_keys WHERE user_id = $1::uuid AND idem_key = $2",
                account.id, key)
            assert await conn.execute(AGE_PAST_TAKEOVER, account.id, key) == "UPDATE 1"
            # B: another request with the key takes the abandoned-looking claim over and completes.
            took_over = await asyncio.to_thread(http.post, "/chats", headers=headers,
                                                json={"kind": "group", "title": "took over"})
            assert took_over.status_code == 201, took_over.text
            await tx.rollback()  # A goes on and completes after B
        overran = await slow
    assert overran.status_code == 201, overran.text  # A's own client got A's answer
    row = await conn.fetchrow("SELECT status_code, response_body, claim_token FROM idempotency_keys "
                              "WHERE user_id = $1::uuid AND idem_key = $2", account.id, key)
    assert row["claim_token"] != first_token
    assert row["status_code"] == 201
    assert b'"took over"' in row["response_body"]  # B's response, not overwritten by A's
    replay = await client.post("/chats", headers=headers, json={"kind": "group", "title": "took over"})
    assert replay.headers["idempotent-replayed"] == "true"
    assert replay.json()["id"] == took_over.json()["id"]
    assert_problem(await client.post("/tasks", headers=headers, json={"title": "slow"}), 422)


async def test_complete_and_release_match_the_claim_token(client, conn):
    account = await signup(client)
    user_id = uuid.UUID(account.id)
    stale = await repo.claim_key(conn, user_id, "k", b"a" * 32, 3600)
    assert stale is not None
    assert await repo.claim_key(conn, user_id, "k", b"a" * 32, 3600) is None  # live: not claimable
    await conn.execute(AGE_PAST_TAKEOVER, account.id, "k")
    current = await repo.claim_key(conn, user_id, "k", b"b" * 32, 3600)
    assert current is not None and current != stale
    assert await repo.release_key(conn, user_id, "k", stale) is None  # the overrun request deletes nothing
    assert await repo.complete_key(conn, user_id, "k", stale, 201, "text/plain", b"stale") is None
    assert await repo.complete_key(conn, user_id, "k", current, 201, "text/plain", b"current") is True
    stored = await repo.get_key(conn, user_id, "k")
    assert stored is not None and stored.response_body == b"current" and stored.request_hash == b"b" * 32
    assert await repo.release_key(conn, user_id, "k", current) is True
    assert await repo.get_key(conn, user_id, "k") is None
