"""The in-service schedule: started by the app's lifespan unless JOBS_ENABLED is off; failures never crash it."""

from __future__ import annotations

import asyncio

import msgspec
import pytest
from litestar.testing import AsyncTestClient

from service.app import create_app
from service.config import Settings, load_settings
from service.jobs.runner import FAILURES

DEADLINE_S = 30.0
OLD_COUNTER = "INSERT INTO rate_limits (bucket, window_start, hits) VALUES ('old', now() - interval '1 day', 1)"


async def until(condition, deadline_s: float = DEADLINE_S) -> None:
    """Polls an observation with a generous deadline (not a sleep that hopes): fails loudly if never true."""
    loop = asyncio.get_running_loop()
    give_up = loop.time() + deadline_s
    while not await condition():
        if loop.time() > give_up:
            raise TimeoutError("condition never became true")
        await asyncio.sleep(0.02)


async def test_the_service_purges_on_its_schedule_and_survives_a_failing_job(settings, conn):
    await conn.execute(OLD_COUNTER)
    # The audit job fails on every run; the service goes on answering and the other jobs go on running.
    await conn.execute("DROP FUNCTION purge_audit_log(integer, integer, integer)")
    failures = FAILURES.labels("audit_log")._value.get()
    app = create_app(msgspec.structs.replace(settings, jobs_interval_s=0.05))
    async with AsyncTestClient(app=app) as client:
        await until(lambda: conn.fetchval("SELECT count(*) = 0 FROM rate_limits"))

        async def failed_twice() -> bool:
            return FAILURES.labels("audit_log")._value.get() >= failures + 2
        await until(failed_twice)
        assert (await client.get("/health")).status_code == 200
        await conn.execute("INSERT INTO rate_limits (bucket, window_start, hits) "
                           "VALUES ('old-2', now() - interval '1 day', 1)")
        await until(lambda: conn.fetchval("SELECT count(*) = 0 FROM rate_limits"))


async def test_jobs_disabled_starts_no_scheduler(settings):
    app = create_app(msgspec.structs.replace(settings, jobs_enabled=False, jobs_interval_s=0.01))
    async with AsyncTestClient(app=app):
        assert app.state.jobs is None
    app = create_app(msgspec.structs.replace(settings, jobs_interval_s=0.01))
    async with AsyncTestClient(app=app):
        task = app.state.jobs
        assert task is not None and not task.done()
    assert task.cancelled()  # stopped with the app


@pytest.mark.parametrize(("env", "message"), [
    ({"JOBS_INTERVAL": "0"}, "JOBS_INTERVAL"),
    ({"JOBS_BATCH_SIZE": "0"}, "JOBS_BATCH_SIZE"),
    ({"AUDIT_RETENTION_DAYS": "29"}, "AUDIT_RETENTION_DAYS"),
    ({"SESSION_RETENTION_DAYS": "0"}, "SESSION_RETENTION_DAYS"),
])
def test_bad_retention_settings_are_refused(env, message):
    with pytest.raises(ValueError, match=message):
        load_settings(environ=env)


def test_retention_settings_from_the_environment():
    s: Settings = load_settings(environ={"JOBS_ENABLED": "false", "JOBS_INTERVAL": "60", "AUDIT_RETENTION_DAYS": "730",
                                         "RAW_EVENT_COMPACT_DAYS": "3"})
    assert (s.jobs_enabled, s.jobs_interval_s, s.audit_retention_days, s.raw_event_compact_days) == \
        (False, 60.0, 730, 3)
