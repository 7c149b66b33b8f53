"""Each retention job deletes exactly the rows past retention and nothing else (README, "Data lifecycle")."""

from __future__ import annotations

import asyncio
import hashlib
import os
import subprocess
import sys
from collections.abc import AsyncIterator

import asyncpg
import pytest

from service.config import Settings
from service.db.pool import create_pool
from service.jobs.registry import JOBS
from service.jobs.runner import ROWS, run_all, run_job
from tests.helpers import signup
from tests.quest.support import connect, push

RECOMPUTED = """
SELECT user_id, (occurred_at AT TIME ZONE 'UTC')::date AS day, kind, sum(value)::bigint AS total,
       count(*) AS event_count
FROM events GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
"""
OLD_COUNTER = "INSERT INTO rate_limits (bucket, window_start, hits) VALUES ('old', now() - interval '1 day', 1)"
CACHED = "SELECT user_id, day, kind, total, event_count FROM metrics_cache ORDER BY 1, 2, 3"


@pytest.fixture
async def pool(settings: Settings) -> AsyncIterator[asyncpg.Pool]:
    p = await create_pool(settings, settings.database_url or "")
    try:
        yield p
    finally:
        await p.close()


def small_batches(settings: Settings) -> Settings:
    """Batches of 2 so that every purge below needs several batches."""
    import msgspec

    return msgspec.structs.replace(settings, jobs_batch_size=2)


async def new_user(conn: asyncpg.Connection, email: str) -> object:
    return await conn.fetchval("INSERT INTO users (email, auth_provider, auth_provider_id) "
                               "VALUES ($1, 'test', $1) RETURNING id", email)


async def test_idempotency_keys_past_expiry_go(pool, settings, conn):
    user = await new_user(conn, "idem@example.com")
    rows = [("old-1", "-2 days", "-1 second"), ("old-2", "-3 days", "-1 day"), ("old-3", "-5 days", "-4 days"),
            ("live", "-1 hour", "+1 hour"), ("in-flight", "-1 minute", "+1 day")]
    for key, created, expires in rows:
        await conn.execute("INSERT INTO idempotency_keys (user_id, idem_key, request_hash, created_at, expires_at) "
                           "VALUES ($1, $2, $3, now() + $4::text::interval, now() + $5::text::interval)",
                           user, key, hashlib.sha256(key.encode()).digest(), created, expires)
    before = ROWS.labels("idempotency_keys")._value.get()
    outcome = await run_job(pool, small_batches(settings), JOBS["idempotency_keys"])
    assert (outcome.purged, outcome.batches, outcome.skipped) == (3, 2, False)
    assert ROWS.labels("idempotency_keys")._value.get() - before == 3
    left = await conn.fetch("SELECT idem_key FROM idempotency_keys ORDER BY idem_key")
    assert [r["idem_key"] for r in left] == ["in-flight", "live"]


async def test_sessions_expired_or_revoked_longer_than_retention_go(pool, settings, conn):
    user = await new_user(conn, "sessions@example.com")
    # (name, created, expires, revoked): retention 30 days
    rows = [
        ("expired-long-ago", "-100 days", "-31 days", None),
        ("revoked-long-ago", "-100 days", "+10 days", "-31 days"),
        ("expired-recently", "-100 days", "-29 days", None),
        ("revoked-recently", "-100 days", "+10 days", "-1 day"),
        ("live", "-1 day", "+29 days", None),
    ]
    for name, created, expires, revoked in rows:
        await conn.execute(
            "INSERT INTO auth_sessions (user_id, token_hash, user_agent, created_at, expires_at, revoked_at, "
            "revoked_reason) VALUES ($1, $2, $3, now() + $4::text::interval, now() + $5::text::interval, "
            "now() + $6::text::interval, CASE WHEN $6::text IS NULL THEN NULL ELSE 'logout' END)",
            user, hashlib.sha256(name.encode()).digest(), name, created, expires, revoked)
    outcome = await run_job(pool, small_batches(settings), JOBS["auth_sessions"])
    assert outcome.purged == 2
    left = await conn.fetch("SELECT user_agent FROM auth_sessions ORDER BY user_agent")
    assert [r["user_agent"] for r in left] == ["expired-recently", "live", "revoked-recently"]


async def test_rate_limit_windows_that_ended_go(pool, settings, conn):
    window = settings.login_limit_window_s
    await conn.executemany("INSERT INTO rate_limits (bucket, window_start, hits) "
                           "VALUES ($1, now() - make_interval(secs => $2), 3)",
                           [("ended-1", window + 1), ("ended-2", 10 * window), ("ended-3", window + 5),
                            ("current", 0), ("current-2", window - 5)])
    outcome = await run_job(pool, small_batches(settings), JOBS["rate_limits"])
    assert outcome.purged == 3
    left = await conn.fetch("SELECT bucket FROM rate_limits ORDER BY bucket")
    assert [r["bucket"] for r in left] == ["current", "current-2"]


async def test_audit_rows_past_retention_go_through_the_definer_function(pool, settings, conn):
    user = await new_user(conn, "audit@example.com")
    # (event, user, reason, age in days): retention 400 days, unknown-email failures 30 days
    rows = [
        ("login", user, None, 401),                 # past 400: goes
        ("login_failed", None, "unknown_email", 31),  # past 30: goes
        ("login_failed", None, "unknown_email", 401),  # goes (either rule)
        ("login", user, None, 399),                 # stays
        ("login_failed", None, "unknown_email", 29),  # stays
        ("login_failed", user, "bad_password", 31),   # a known account: 400 days, stays
        ("login_failed", None, "inactive", 31),     # account deleted since: not an unknown email, stays
        ("account_delete", None, None, 31),         # stays
    ]
    for event, user_id, reason, days in rows:
        await conn.execute("INSERT INTO audit_log (user_id, event, details, created_at) "
                           "VALUES ($1, $2, $3, now() - make_interval(days => $4))",
                           user_id, event, {"reason": reason} if reason else {}, days)
    outcome = await run_job(pool, small_batches(settings), JOBS["audit_log"])
    assert outcome.purged == 3
    left = await conn.fetch("SELECT event, details ->> 'reason' AS reason, "
                            "extract(day FROM now() - created_at)::int AS days FROM audit_log ORDER BY id")
    assert [(r["event"], r["reason"], r["days"]) for r in left] == [
        ("login", None, 399), ("login_failed", "unknown_email", 29), ("login_failed", "bad_password", 31),
        ("login_failed", "inactive", 31), ("account_delete", None, 31)]


async def test_the_audit_function_refuses_a_retention_shorter_than_its_floor(conn):
    await conn.execute("INSERT INTO audit_log (event, created_at) VALUES ('login_failed', now() - interval '20 days')")
    for args in ((10, 29, 1), (10, 30, 0), (0, 400, 30), (10001, 400, 30)):
        with pytest.raises(asyncpg.InvalidParameterValueError):
            await conn.fetchval("SELECT purge_audit_log($1, $2, $3)", *args)
    assert await conn.fetchval("SELECT count(*) FROM audit_log") == 1


async def test_the_audit_function_is_owned_by_another_role_and_executable_by_service_app(conn):
    row = await conn.fetchrow(
        "SELECT p.prosecdef, pg_get_userbyid(p.proowner) AS owner, "
        "has_function_privilege('service_app', p.oid, 'EXECUTE') AS app_may, "
        "has_function_privilege('public', p.oid, 'EXECUTE') AS public_may "
        "FROM pg_proc AS p WHERE p.proname = 'purge_audit_log'")
    assert row["prosecdef"] is True
    assert row["owner"] != "service_app"
    assert row["app_may"] is True
    assert row["public_may"] is False
    config = await conn.fetchval("SELECT proconfig FROM pg_proc WHERE proname = 'purge_audit_log'")
    assert any(c.startswith("search_path=") for c in config)  # a definer function pins its search_path


async def test_raw_events_compacted_and_unmatched_dropped_events_and_metrics_kept(pool, settings, client, conn):
    account = await signup(client)
    github = await connect(client, account)
    acks = [await push(client, github["external_account_id"], n) for n in (1, 2, 3)]
    assert {a["status"] for a in acks} == {"processed"}
    strays = [await push(client, "424242", 1) for _ in range(3)]
    assert {a["status"] for a in strays} == {"unmatched"}
    # Two processed deliveries are past RAW_EVENT_COMPACT_DAYS, one is recent;
    # two unmatched ones are past RAW_EVENT_UNMATCHED_DAYS, one is recent.
    await conn.execute("UPDATE events_raw SET processed_at = now() - interval '8 days' WHERE id = ANY($1)",
                       [acks[0]["raw_event_id"], acks[1]["raw_event_id"]])
    await conn.execute("UPDATE events_raw SET received_at = now() - interval '31 days' WHERE id = ANY($1)",
                       [strays[0]["raw_event_id"], strays[1]["raw_event_id"]])
    events_before = await conn.fetch("SELECT * FROM events ORDER BY id")
    assert len(events_before) == 3
    assert await conn.fetch(CACHED) == await conn.fetch(RECOMPUTED)

    outcomes = {o.job: o for o in await run_all(pool, small_batches(settings),
                                                ["events_raw_compact", "events_raw_unmatched"])}
    assert outcomes["events_raw_compact"].purged == 2
    assert outcomes["events_raw_unmatched"].purged == 2

    raw = {r["id"]: r for r in await conn.fetch("SELECT id, provider, provider_event_id, status, payload "
                                               "FROM events_raw")}
    assert raw[acks[0]["raw_event_id"]]["payload"] == {} and raw[acks[1]["raw_event_id"]]["payload"] == {}
    assert raw[acks[2]["raw_event_id"]]["payload"] != {}
    assert raw[acks[0]["raw_event_id"]]["provider_event_id"]  # the dedup key stays
    assert strays[0]["raw_event_id"] not in raw and strays[1]["raw_event_id"] not in raw
    assert strays[2]["raw_event_id"] in raw
    assert await conn.fetch("SELECT * FROM events ORDER BY id") == events_before
    assert await conn.fetch(CACHED) == await conn.fetch(RECOMPUTED)
    # a second run finds nothing left
    again = await run_all(pool, settings, ["events_raw_compact", "events_raw_unmatched"])
    assert [o.purged for o in again] == [0, 0]


async def test_a_redelivery_of_a_compacted_event_is_still_refused(pool, settings, client, conn):
    from tests.quest.support import github_request, push_payload

    account = await signup(client)
    github = await connect(client, account)
    body, headers = github_request(push_payload(github["external_account_id"], 2))
    first = await client.post("/webhooks/github", content=body, headers=headers)
    assert first.status_code == 200
    await conn.execute("UPDATE events_raw SET processed_at = now() - interval '8 days'")
    assert (await run_job(pool, settings, JOBS["events_raw_compact"])).purged == 1
    again = await client.post("/webhooks/github", content=body, headers=headers)
    assert again.status_code == 200, again.text
    assert await conn.fetchval("SELECT count(*) FROM events") == 1
    assert await conn.fetchval("SELECT count(*) FROM events_raw") == 1


async def test_a_failing_job_is_logged_and_the_others_still_run(pool, settings, conn, caplog):
    await conn.execute(OLD_COUNTER)
    await conn.execute("REVOKE EXECUTE ON FUNCTION purge_audit_log(integer, integer, integer) FROM service_app")
    await conn.execute("DROP FUNCTION purge_audit_log(integer, integer, integer)")  # the audit job now fails
    outcomes = await run_all(pool, settings)
    assert "audit_log" not in [o.job for o in outcomes]
    assert {o.job for o in outcomes} == set(JOBS) - {"audit_log"}
    assert "retention job audit_log failed" in caplog.text
    assert await conn.fetchval("SELECT count(*) FROM rate_limits") == 0


async def test_cli_jobs_run_once(db_url, conn):
    await conn.execute(OLD_COUNTER)
    env = {**os.environ, "DATABASE_URL": db_url}
    result = await asyncio.to_thread(subprocess.run, [sys.executable, "-m", "service", "jobs", "run", "--once",
                                                      "--job", "rate_limits"],
                                     env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "rate_limits: 1 rows in 1 batch(es)" in result.stdout
    assert await conn.fetchval("SELECT count(*) FROM rate_limits") == 0
    bad = await asyncio.to_thread(subprocess.run, [sys.executable, "-m", "service", "jobs", "run", "--once",
                                                   "--job", "nope"], env=env, capture_output=True, text=True,
                                  timeout=120)
    assert bad.returncode == 2 and "unknown job" in bad.stderr


async def test_metrics_show_rows_purged_and_last_run(client, pool, settings, conn):
    await conn.execute(OLD_COUNTER)
    await run_job(pool, settings, JOBS["rate_limits"])
    text = (await client.get("/metrics")).text
    assert 'service_jobs_rows_purged_total{job="rate_limits"}' in text
    assert 'service_jobs_last_run_timestamp_seconds{job="rate_limits"}' in text


@pytest.fixture
async def app_role_url(db_url, conn):
    from urllib.parse import urlsplit, urlunsplit

    role = f"jobs_login_{os.getpid()}"
    await conn.execute(f"DROP ROLE IF EXISTS {role}")
    await conn.execute(f"CREATE ROLE {role} LOGIN IN ROLE service_app")
    parts = urlsplit(db_url)
    yield urlunsplit(parts._replace(netloc=f"{role}@{parts.hostname}:{parts.port}"))
    await conn.execute(f"DROP ROLE IF EXISTS {role}")


async def test_every_job_runs_as_the_service_role_and_the_audit_log_needs_no_delete_grant(settings, conn,
                                                                                          app_role_url):
    """The service role may lose DELETE on audit_log (append-only, #13 §5): the purge goes through the
    SECURITY DEFINER function, and only it."""
    await conn.execute("REVOKE DELETE ON audit_log FROM service_app")
    await conn.execute("INSERT INTO audit_log (event, created_at) VALUES ('login', now() - interval '401 days'), "
                       "('login', now() - interval '1 day')")
    import msgspec

    role_settings = msgspec.structs.replace(settings, database_url=app_role_url)
    role_pool = await create_pool(role_settings, app_role_url)
    try:
        outcomes = await run_all(role_pool, role_settings)
        assert {o.job for o in outcomes} == set(JOBS)  # none failed
        assert {o.job: o.purged for o in outcomes}["audit_log"] == 1
        async with role_pool.acquire() as role_conn:
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await role_conn.execute("DELETE FROM audit_log")
    finally:
        await role_pool.close()
    assert await conn.fetchval("SELECT count(*) FROM audit_log") == 1


async def test_app_clients_revoked_longer_than_the_audit_retention_go(pool, settings, conn):
    from service.apps import logic as apps_logic
    from tests.helpers import create_app_client

    await create_app_client(conn, "job-active")
    await create_app_client(conn, "job-recent")
    old, _ = await create_app_client(conn, "job-old")
    await apps_logic.revoke_client(conn, "job-recent")
    await apps_logic.revoke_client(conn, "job-old")
    days = settings.audit_retention_days
    await conn.execute("UPDATE app_clients SET created_at = now() - make_interval(days => $2 + 10), "
                       "revoked_at = now() - make_interval(days => $2 + 1) WHERE id = $1::uuid", old, days)
    outcome = await run_job(pool, small_batches(settings), JOBS["app_clients"])
    assert outcome.purged == 1
    left = sorted(r["name"] for r in await conn.fetch("SELECT name FROM app_clients"))
    assert left == ["job-active", "job-recent"]
