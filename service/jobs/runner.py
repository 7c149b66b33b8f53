"""Running the retention jobs: batches, the advisory lock, metrics, the in-service schedule.

One batch = one short transaction on a connection borrowed from the pool:
``pg_try_advisory_xact_lock`` for the job, then the job's statement with
``LIMIT batch_size``; COMMIT releases both the rows and the lock.  A worker
that finds the lock taken skips the job for this run (another worker or
machine is doing it), so any number of workers and cron runs may overlap and
each row is purged once.  The connection goes back to the pool between batches.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass

import asyncpg
from prometheus_client import Counter, Gauge

from service.config import Settings
from service.jobs import repo
from service.jobs.registry import JOBS, Job

log = logging.getLogger("service.jobs")

ROWS = Counter("service_jobs_rows_purged", "Rows purged (or compacted) by a retention job", ["job"])
LAST_RUN = Gauge("service_jobs_last_run_timestamp_seconds", "Unix time a retention job last finished a run",
                 ["job"], multiprocess_mode="max")
FAILURES = Counter("service_jobs_failures", "Retention job runs that failed (logged, retried next time)", ["job"])

MAX_BATCHES_PER_RUN = 1000
"""A run stops after this many full batches (the next run goes on): bounds one run's time."""


@dataclass(frozen=True)
class Outcome:
    job: str
    purged: int
    batches: int
    skipped: bool
    """True when another worker held the job's lock: it did the work, this run did none."""


async def run_batch(pool: asyncpg.Pool, settings: Settings, job: Job, batch_size: int) -> int | None:
    """One batch in its own transaction; None when another worker holds the job's lock."""
    async with pool.acquire() as conn, conn.transaction():
        if not await repo.try_lock(conn, job.name):
            return None
        return await job.batch(conn, settings, batch_size)


async def run_job(pool: asyncpg.Pool, settings: Settings, job: Job) -> Outcome:
    """Batches until one comes back short (nothing left past retention) or the lock is taken elsewhere."""
    batch_size = settings.jobs_batch_size
    purged = batches = 0
    skipped = False
    while batches < MAX_BATCHES_PER_RUN:
        done = await run_batch(pool, settings, job, batch_size)
        if done is None:
            skipped = True
            break
        batches += 1
        purged += done
        if done:
            ROWS.labels(job.name).inc(done)
        if done < batch_size:
            break
    LAST_RUN.labels(job.name).set(time.time())
    return Outcome(job.name, purged, batches, skipped)


async def run_all(pool: asyncpg.Pool, settings: Settings, names: list[str] | None = None) -> list[Outcome]:
    """Every job (or the named ones) once; a failing job is logged and counted, the others still run."""
    outcomes = []
    for name in names or list(JOBS):
        job = JOBS[name]
        try:
            outcome = await run_job(pool, settings, job)
        except Exception:
            FAILURES.labels(name).inc()
            log.exception("retention job %s failed; it is retried on the next run", name)
            continue
        if outcome.purged:
            log.info("retention job %s: %d rows in %d batches", name, outcome.purged, outcome.batches)
        outcomes.append(outcome)
    return outcomes


async def scheduler(pool: asyncpg.Pool, settings: Settings) -> None:
    """The in-service loop: every JOBS_INTERVAL seconds, run every job.  Never raises (but on cancel).

    The first run waits one interval, so that a fleet restarted at once does not purge at once
    (and the lock makes overlaps harmless anyway); a run that failed is retried after
    min(JOBS_INTERVAL, 60 s)."""
    delay = settings.jobs_interval_s
    while True:
        await asyncio.sleep(delay)
        try:
            outcomes = await run_all(pool, settings)
            failed = len(outcomes) < len(JOBS)
        except Exception:  # e.g. the pool closed or the database is down: log, retry, never crash
            log.exception("retention jobs failed; retrying")
            failed = True
        delay = min(settings.jobs_interval_s, 60.0) if failed else settings.jobs_interval_s
