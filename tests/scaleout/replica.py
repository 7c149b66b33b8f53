"""A streaming replica of the test server, from the embedded server's own binaries.

``pg_basebackup -R -C -S <slot> -X stream`` copies the primary, creates a physical
replication slot and writes ``standby.signal`` and ``primary_conninfo``; the copy then
runs as a hot standby on its own port.  initdb's default pg_hba.conf already trusts
replication connections from 127.0.0.1, and ``wal_level=replica`` and ``max_wal_senders``
are PostgreSQL's defaults, so the primary needs no change.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import asyncpg

from service.db import embedded
from service.db.embedded import SUPERUSER, bin_path

CATCH_UP_DEADLINE_S = 30.0


class Replica:
    def __init__(self, primary_dsn: str, data_dir: Path) -> None:
        parts = urlsplit(primary_dsn)
        self.primary_dsn = primary_dsn
        self.primary_host, self.primary_port = parts.hostname or "127.0.0.1", parts.port or 5432
        self.data_dir = data_dir
        self.slot = f"test_replica_{os.getpid()}"
        self.port = embedded._free_port()
        self.log_file = data_dir.parent / "replica.log"

    def create(self) -> None:
        self.data_dir.mkdir(parents=True)
        if embedded._as_root():
            embedded._prepare_root(self.data_dir)
        embedded._run([bin_path("pg_basebackup"), "-h", self.primary_host, "-p", str(self.primary_port),
                       "-U", SUPERUSER, "-D", str(self.data_dir), "-X", "stream", "-R", "-C", "-S", self.slot,
                       "--checkpoint=fast"])
        self.data_dir.chmod(0o700)  # PostgreSQL refuses a data folder others may read
        self.log_file.touch()
        if embedded._as_root():
            embedded._prepare_root(self.log_file.parent)

    def start(self, apply_delay_ms: int = 0) -> None:
        # A hot standby needs max_connections (and a few others) at least the primary's: the same here.
        max_connections = subprocess.run([bin_path("psql"), self.primary_dsn, "-XAtc", "SHOW max_connections"],
                                         check=True, capture_output=True, text=True).stdout.strip()
        options = (f"-h 127.0.0.1 -p {self.port} -k {self.data_dir} -c hot_standby=on -c fsync=off "
                   f"-c recovery_min_apply_delay={apply_delay_ms}ms -c max_connections={max_connections}")
        embedded._run([bin_path("pg_ctl"), "-D", str(self.data_dir), "-w", "-t", "60",
                       "-l", str(self.log_file), "-o", options, "start"])

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            embedded._run([bin_path("pg_ctl"), "-D", str(self.data_dir), "-w", "-m", "fast", "stop"])

    def drop_slot(self) -> None:
        subprocess.run([bin_path("psql"), self.primary_dsn, "-XAt", "-v", f"slot={self.slot}", "-c",
                        "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots "
                        "WHERE slot_name = :'slot'"], capture_output=True, check=False)

    def dsn(self, database: str) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    async def caught_up(self, primary_db_dsn: str, database: str) -> None:
        """Wait (bounded) until the replica serves ``database`` and has replayed the primary's WAL
        as of now: a condition on the replica's state, polled, not a guessed sleep."""
        primary = await asyncpg.connect(primary_db_dsn)
        try:
            target = await primary.fetchval("SELECT pg_current_wal_insert_lsn()")
        finally:
            await primary.close()
        deadline = time.monotonic() + CATCH_UP_DEADLINE_S
        while True:
            with contextlib.suppress(OSError, asyncpg.PostgresError):
                conn = await asyncpg.connect(self.dsn(database))
                try:
                    if await conn.fetchval("SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn", target):
                        return
                finally:
                    await conn.close()
            if time.monotonic() > deadline:
                raise TimeoutError(f"the replica did not catch up in {CATCH_UP_DEADLINE_S} s:\n{self.log_tail()}")
            await asyncio.sleep(0.05)  # polling a condition with a deadline

    def log_tail(self) -> str:
        try:
            return "\n".join(self.log_file.read_text().splitlines()[-20:])
        except OSError:
            return "(no log)"
