"""The bench harness: pgbench scripts from the service's SQL files, and a tiny end-to-end run."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from service.bench import procstat, report
from service.bench.scenarios import SCENARIOS, Scenario, Step, bench_uuid, pgbench_scripts, render_step, uuid_sql
from service.config import PROJECT_ROOT
from service.db.queries import load_sql


def test_every_scenario_has_its_script_and_its_sql_files():
    for scenario in SCENARIOS:
        assert scenario.script_path.exists(), scenario.script
        for text, weight in pgbench_scripts(scenario):
            assert weight >= 1
            assert "$" not in text.replace("\\gset", "")  # every $n was replaced


def test_a_step_is_the_sql_file_with_its_parameters_substituted():
    rendered = render_step(Step("accounts/get_user", (uuid_sql(":u"),)))
    body = " ".join(line for line in load_sql("accounts/get_user").splitlines() if not line.startswith("--"))
    assert rendered.startswith(" ".join(body.split()).split("$1")[0])
    assert "(('00000000-0000-4000-8000-' || lpad(to_hex(:u::bigint), 12, '0'))::uuid)" in rendered
    assert rendered.endswith(";")
    gset = render_step(Step("accounts/insert_session", ("1", "2", "3", "4"), gset="s_"))
    assert gset.endswith("RETURNING id \\gset s_")


def test_a_step_with_too_few_parameters_is_refused():
    try:
        render_step(Step("accounts/list_audit", ("1",)))
    except ValueError as exc:
        assert "$2" in str(exc)
    else:
        raise AssertionError("expected a ValueError")


def test_bench_ids_are_what_the_sql_expression_computes():
    assert str(bench_uuid(1)) == "00000000-0000-4000-8000-000000000001"
    assert str(bench_uuid(4095)) == "00000000-0000-4000-8000-000000000fff"


def test_cpu_of_this_process_tree_grows():
    before = procstat.tree_cpu(os.getpid())
    sum(i * i for i in range(300_000))
    assert procstat.tree_cpu(os.getpid()) > before


def test_profile_summary_counts_inclusive_and_self(tmp_path):
    raw = tmp_path / "p.txt"
    raw.write_text("a (x.py:1);b (x.py:2) 3\na (x.py:1);c (x.py:3) 1\n")
    text = report.summarize_profile(raw).read_text()
    assert "100.0  a (x.py:1)" in text
    assert "75.0  b (x.py:2)" in text


def test_smoke_run_end_to_end(server_dsn, tmp_path):
    """A tiny but complete run: fresh database, production server, k6, pgbench, CPU, JSON and chart."""
    out = tmp_path / "bench.json"
    chart = tmp_path / "bench.svg"
    env = {**os.environ, "DATABASE_URL": server_dsn, "ARGON2_MEMORY_KIB": "1024", "ARGON2_TIME_COST": "1",
           "ARGON2_PARALLELISM": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "service", "bench", "--duration", "2", "--warmup", "0", "--users", "20",
         "--clients", "2", "--workers", "1", "--scenario", "me", "--scenario", "E5", "--json", str(out),
         "--chart", str(chart), "--out", str(tmp_path / "run")],
        env=env, capture_output=True, text=True, timeout=120, cwd=PROJECT_ROOT, check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    data = json.loads(out.read_text())
    assert data["machine"]["cores"] >= 1
    assert data["settings"]["workers"] == 1
    for name in ("me", "E5"):
        path = data["paths"][name]
        assert path["requests"] > 0 and path["rps"] > 0, path
        assert path["errors"] == 0, path
        assert path["ceiling_tps"] > 0 and path["ratio"] > 0, path
        assert path["service_cpu_us_per_req"] > 0, path
        assert path["pg_cpu_us_per_req"] is not None, path
    assert "GET /me" in result.stdout and "db-only tps" in result.stdout
    assert chart.read_text().startswith("<svg")


def test_unknown_scenario_is_refused():
    result = subprocess.run([sys.executable, "-m", "service", "bench", "--scenario", "nope"],
                            capture_output=True, text=True, cwd=PROJECT_ROOT, check=False)
    assert result.returncode == 2
    assert "unknown scenario" in result.stderr


def test_scenario_defaults():
    s = Scenario(name="x", label="GET /x", script="me.js")
    assert s.draws == {"u": "random(1, :users)"} and pgbench_scripts(s) == []


async def test_statement_cache_size_reaches_the_pool(settings):
    """DB_STATEMENT_CACHE_SIZE=0 (PgBouncer < 1.21 in transaction mode): no named prepared statements kept."""
    import msgspec

    from service.config import load_settings
    from service.db.pool import create_pool

    assert load_settings(environ={"DB_STATEMENT_CACHE_SIZE": "0"}).statement_cache_size == 0
    assert load_settings(environ={}).statement_cache_size == 100
    pool = await create_pool(msgspec.structs.replace(settings, statement_cache_size=0), settings.database_url)
    try:
        async with pool.acquire() as conn:
            for _ in range(3):
                assert await conn.fetchval("SELECT $1::int + 1", 1) == 2
            assert await conn.fetchval("SELECT count(*) FROM pg_prepared_statements") == 0
    finally:
        await pool.close()


def test_fillers_tell_k6_and_pgbench_what_to_draw(db_url, settings, monkeypatch, tmp_path):
    from service.bench import dataset

    async def fill_things(conn, users: int) -> dataset.Facts:
        assert await conn.fetchval("SELECT count(*) FROM users") == users
        return dataset.Facts(variables={"things": 3 * users}, per_user={1: {"thing_ids": [7, 8]}})

    monkeypatch.setattr(dataset, "FILLERS", [("things", fill_things)])
    out = tmp_path / "users.json"
    data, variables = dataset.fill_sync(db_url, settings, 3, out)
    assert variables == {"users": 3, "things": 9}
    assert data["things"] == 9
    entries = json.loads(out.read_text())
    assert [e["u"] for e in entries] == [1, 2, 3]
    assert entries[0]["thing_ids"] == [7, 8] and "thing_ids" not in entries[1]
    assert all(e["token"].count(".") == 2 and e["email"] == f"bench{e['u']}@bench.test" for e in entries)


def test_ab_run_measures_both_revisions_interleaved(server_dsn, tmp_path):
    """``bench --baseline HEAD``: a worktree of HEAD, two databases, two servers, rounds alternating A and B."""
    out = tmp_path / "ab.json"
    env = {**os.environ, "DATABASE_URL": server_dsn, "ARGON2_MEMORY_KIB": "1024", "ARGON2_TIME_COST": "1",
           "ARGON2_PARALLELISM": "1"}
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=PROJECT_ROOT, capture_output=True, text=True,
                          check=True).stdout.strip()
    tree = PROJECT_ROOT / ".data" / "bench" / f"rev-{head[:12]}"
    try:
        result = subprocess.run(
            [sys.executable, "-m", "service", "bench", "--baseline", "HEAD", "--rounds", "2", "--duration", "1",
             "--warmup", "0", "--users", "10", "--clients", "2", "--workers", "1", "--scenario", "me",
             "--json", str(out), "--out", str(tmp_path / "run")],
            env=env, capture_output=True, text=True, timeout=300, cwd=PROJECT_ROOT, check=False)
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=PROJECT_ROOT, capture_output=True,
                       check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    data = json.loads(out.read_text())
    path = data["paths"]["me"]
    assert path["rounds"] == 2 and len(path["raw"]) == 2
    assert path["errors"] == {"A": 0, "B": 0}
    for pair in path["raw"]:
        assert pair["A"]["requests"] > 0 and pair["B"]["requests"] > 0
    cpu = path["service_cpu_us_per_req"]
    assert cpu["A"] > 0 and cpu["B"] > 0 and cpu["ratio_min"] <= cpu["ratio"] <= cpu["ratio_max"]
    assert data["settings"]["A"].startswith("HEAD (" + head[:12])
    assert "B/A median" in result.stdout
    order = [line.rsplit(" on ", 1)[1] for line in result.stderr.splitlines() if "bench A/B: round" in line]
    assert order == ["A", "B", "B", "A"]  # the second round starts with the other side
