"""PgBouncer (Debian's package, 1.18) in transaction mode in front of the test server.

Used through the fixtures in ``tests/conftest.py``:

- ``pgbouncer`` (session): one PgBouncer for the run, listening on a free
  127.0.0.1 port, with a ``*`` database entry, so every test database is
  reachable through it under its own name;
- ``pgbouncer_url`` (per test): the test's database (``db_url``) through PgBouncer;
- ``pgbouncer_settings`` (per test): the app's settings for that URL, as the README's
  "PgBouncer" section prescribes: ``DB_STATEMENT_CACHE_SIZE=0`` and the
  ``statement_timeout`` set on the database (PgBouncer ignores it at startup).

Without ``pgbouncer`` on PATH (nor in /usr/sbin) the tests that use these fixtures
are skipped with the reason; under ``CI=true`` they fail instead, since CI installs it
(``.ci/run``).  PgBouncer refuses to run as root: under root it runs as the embedded
server's system user (or ``nobody``) with ``-u``.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from service.db.embedded import SYSTEM_USER

START_DEADLINE_S = 15.0


def binary() -> str | None:
    return shutil.which("pgbouncer") or ("/usr/sbin/pgbouncer" if Path("/usr/sbin/pgbouncer").exists() else None)


def require_binary() -> str:
    """The pgbouncer program, or skip (fail under CI=true) saying why."""
    found = binary()
    if found is not None:
        return found
    reason = "pgbouncer is not installed (Debian: apt-get install -y pgbouncer); the PgBouncer tests need it"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true: {reason}", pytrace=False)
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _accepts(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _run_as() -> str | None:
    """The system user PgBouncer runs as under root (it refuses root), else None."""
    if not (hasattr(os, "geteuid") and os.geteuid() == 0):
        return None
    for name in (SYSTEM_USER, "postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    return "nobody"


class PgBouncer:
    """One PgBouncer process; ``url(dsn)`` is ``dsn`` routed through it."""

    def __init__(self, server_dsn: str, roles: list[str], *, pool_size: int = 20) -> None:
        self.server = urlsplit(server_dsn)
        self.roles = roles
        self.pool_size = pool_size
        self.port = 0
        self.folder: Path | None = None
        self.proc: subprocess.Popen[bytes] | None = None
        self.version = ""

    def start(self) -> None:
        program = require_binary()
        self.version = subprocess.run([program, "--version"], capture_output=True, text=True,
                                      check=False).stdout.split("\n")[0]
        self.port = _free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="test-pgbouncer-"))
        users = "".join(f'"{role}" ""\n' for role in self.roles)
        (self.folder / "userlist.txt").write_text(users)
        (self.folder / "pgbouncer.ini").write_text(f"""[databases]
* = host={self.server.hostname} port={self.server.port}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {self.port}
unix_socket_dir =
auth_type = trust
auth_file = {self.folder / "userlist.txt"}
pool_mode = transaction
default_pool_size = {self.pool_size}
max_client_conn = 2000
ignore_startup_parameters = extra_float_digits,statement_timeout
logfile = {self.folder / "pgbouncer.log"}
pidfile = {self.folder / "pgbouncer.pid"}
""")
        args = [program, "-q"]
        user = _run_as()
        if user is not None:
            entry = pwd.getpwnam(user)
            for path in [self.folder, *self.folder.iterdir()]:
                os.chown(path, entry.pw_uid, entry.pw_gid)
            args += ["-u", user]
        self.proc = subprocess.Popen([*args, str(self.folder / "pgbouncer.ini")], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, start_new_session=True)
        deadline = time.monotonic() + START_DEADLINE_S
        while not _accepts(self.port):  # start-up, not a race: poll the port until it listens
            if self.proc.poll() is not None or time.monotonic() > deadline:
                log = self.log_tail()
                self.stop()
                raise RuntimeError(f"pgbouncer did not start; its log:\n{log}")
            time.sleep(0.05)

    def url(self, dsn: str) -> str:
        """``dsn`` (a database on the test server) through PgBouncer."""
        parts = urlsplit(dsn)
        netloc = f"{parts.username}@127.0.0.1:{self.port}" if parts.username else f"127.0.0.1:{self.port}"
        return urlunsplit(parts._replace(netloc=netloc))

    def log_tail(self, lines: int = 40) -> str:
        if self.folder is None:
            return "(no log)"
        try:
            return "\n".join((self.folder / "pgbouncer.log").read_text().splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        if self.proc is not None and self.proc.stderr is not None:
            self.proc.stderr.close()
        self.proc = None
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


@contextlib.contextmanager
def running(server_dsn: str, roles: list[str]) -> Iterator[PgBouncer]:
    bouncer = PgBouncer(server_dsn, roles)
    bouncer.start()
    try:
        yield bouncer
    finally:
        bouncer.stop()
