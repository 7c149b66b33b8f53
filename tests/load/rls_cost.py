"""What PostgreSQL row-level security would cost on the E1 path (GET /tasks?completed=false).

    .venv/bin/python -m tests.load.rls_cost [--seconds 15] [--clients 8]

Builds a scratch database (1,000 users x 40 tasks), logs in as a member of
``service_app`` (no BYPASSRLS, owns nothing: a superuser would skip the
policies and the figures would mean nothing) and runs pgbench in prepared
mode on the very statement of ``sql/tasks/list_tasks_by_completed.sql`` in
three shapes:

  plain     the statement alone, as the service runs it today;
  txn       BEGIN; set_config('app.user_id', ..., true); statement; COMMIT
            - the extra round trips RLS needs, without a policy;
  rls       the same with ``tasks`` under a policy
            ``USING (user_id = current_setting('app.user_id')::uuid)``.

It prints transactions per second of each and the slowdowns.  The scratch
database and role are dropped afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import subprocess
import tempfile
from pathlib import Path

import asyncpg

from service.config import PROJECT_ROOT
from service.db import migrate
from service.db.embedded import EmbeddedPostgres, bin_path

FILL = """
INSERT INTO users (id, email, password_hash)
SELECT
    ('00000000-0000-0000-0000-' || lpad(g::text, 12, '0'))::uuid,
    'u' || g || '@example.com',
    '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA'
FROM generate_series(1, 1000) AS g;
INSERT INTO tasks (user_id, title, completed)
SELECT u.id, 'task ' || g, g % 3 = 0 FROM users AS u, generate_series(1, 40) AS g;
ANALYZE;
"""
POLICY = """
ALTER TABLE tasks ENABLE ROW LEVEL SECURITY;
CREATE POLICY tasks_owner_only ON tasks USING (user_id = current_setting('app.user_id', true)::uuid)
    WITH CHECK (user_id = current_setting('app.user_id', true)::uuid);
"""


UID = "('00000000-0000-0000-0000-' || lpad(:n::text, 12, '0'))"  # the filled users' ids, drawn uniformly


def statement() -> str:
    text = (PROJECT_ROOT / "sql" / "tasks" / "list_tasks_by_completed.sql").read_text()
    body = "\n".join(line for line in text.splitlines() if not line.startswith("--")).strip().rstrip(";")
    for n, name in ((1, UID + "::uuid"), (2, "false"), (3, "NULL"), (4, "51")):
        body = re.sub(rf"\${n}\b", name, body)
    return " ".join(body.split()) + ";"


def scripts(folder: Path) -> dict[str, Path]:
    setup = "\\set n random(1, 1000)\n"
    shapes = {
        "plain": statement() + "\n",
        "txn": f"BEGIN;\nSELECT set_config('app.user_id', {UID}, true);\n" + statement() + "\nCOMMIT;\n",
    }
    shapes["rls"] = shapes["txn"]
    paths = {}
    for name, body in shapes.items():
        path = folder / f"{name}.sql"
        path.write_text(setup + body)
        paths[name] = path
    return paths


def pgbench(dsn: str, script: Path, seconds: int, clients: int) -> float:
    out = subprocess.run([bin_path("pgbench"), "-n", "-M", "prepared", "-T", str(seconds), "-c", str(clients),
                          "-j", "2", "-f", str(script), dsn], check=True, capture_output=True, text=True).stdout
    match = re.search(r"tps = ([0-9.]+)", out)
    assert match, out
    return float(match.group(1))


async def main(seconds: int, clients: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="rls-"))
    pg = EmbeddedPostgres(folder / "pg")
    dsn = pg.start()
    try:
        migrate.upgrade(dsn)
        conn = await asyncpg.connect(dsn)
        await conn.execute(FILL)
        await conn.execute("CREATE ROLE rls_probe LOGIN IN ROLE service_app")
        role_dsn = dsn.replace("postgres@", "rls_probe@")
        paths = scripts(folder)
        results = {"plain": pgbench(role_dsn, paths["plain"], seconds, clients),
                   "txn": pgbench(role_dsn, paths["txn"], seconds, clients)}
        await conn.execute(POLICY)
        results["rls"] = pgbench(role_dsn, paths["rls"], seconds, clients)
        await conn.close()
    finally:
        pg.destroy()
    print(f"pgbench, {clients} clients, {seconds} s each, prepared, {os.cpu_count()} cores")
    for name, tps in results.items():
        print(f"  {name:6s} {tps:9.0f} tps  ({tps / results['plain']:.2f} of plain)")
    print(f"  the policy itself: {results['rls'] / results['txn']:.2f} of txn; "
          f"the transaction wrapping: {results['txn'] / results['plain']:.2f} of plain")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--clients", type=int, default=8)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.seconds, arguments.clients))
