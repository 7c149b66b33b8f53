"""docs/schema.sql and docs/schema.md are what the migrations build, byte for byte."""

from __future__ import annotations

import difflib
import shutil

from service.db import migrate
from service.dba import catalog, docs, snapshot
from tests.conftest import createdb, dropdb
from tests.platform.test_cli import run_cli

REGENERATE = "run: .venv/bin/python -m service db snapshot && .venv/bin/python -m service db docs"


def _diff(committed: str, generated: str, name: str) -> str:
    return "".join(difflib.unified_diff(committed.splitlines(True), generated.splitlines(True),
                                        f"committed {name}", "what the migrations build"))


async def test_schema_sql_matches_the_migrations(db_url):
    generated = snapshot.render(await catalog.read_catalog_at(db_url))
    committed = snapshot.read_snapshot()
    assert generated == committed, f"docs/schema.sql is stale; {REGENERATE}\n{_diff(committed, generated, 'sql')}"


async def test_schema_md_matches_the_migrations(db_url):
    generated = docs.render_markdown(await catalog.read_catalog_at(db_url))
    committed = docs.DOCS_PATH.read_text(encoding="utf-8")
    assert generated == committed, f"docs/schema.md is stale; {REGENERATE}\n{_diff(committed, generated, 'md')}"


async def test_rendering_is_byte_stable_and_reads_back(db_url):
    first = snapshot.render(await catalog.read_catalog_at(db_url))
    second = snapshot.render(await catalog.read_catalog_at(db_url))
    assert first == second
    assert snapshot.compare(first, second) == []
    objects = snapshot.objects(first)
    assert objects[("column", "users.email")] == "text NOT NULL"
    assert objects[("constraint", "auth_sessions.auth_sessions_user_id_fkey")].startswith("FOREIGN KEY (user_id)")
    assert ("trigger", "users.users_set_updated_at_trg") in objects
    assert ("function", "set_updated_at()") in objects


async def test_a_column_changed_in_a_migration_but_not_in_the_snapshot_is_reported(server_dsn, tmp_path):
    for path in migrate.MIGRATIONS_DIR.glob("*.sql"):
        shutil.copy(path, tmp_path / path.name)
    changed = tmp_path / "0004_create_audit_log.sql"
    changed.write_text(changed.read_text().replace("client_addr inet,", "client_addr text,"))
    dsn = createdb(server_dsn, "dba_changed_migration")
    try:
        migrate.upgrade(dsn, tmp_path)
        live = snapshot.render(await catalog.read_catalog_at(dsn))
    finally:
        dropdb(server_dsn, "dba_changed_migration")
    differences = [str(d) for d in snapshot.compare(snapshot.read_snapshot(), live)]
    assert differences == ["changed column audit_log.client_addr: snapshot has 'inet', database has 'text'"]


def test_cli_snapshot_and_docs_write_the_committed_files(db_url, tmp_path):
    for verb, committed in (("snapshot", snapshot.SNAPSHOT_PATH), ("docs", docs.DOCS_PATH)):
        out = tmp_path / committed.name
        result = run_cli("db", verb, "--output", str(out), db_url=db_url)
        assert result.returncode == 0, result.stdout + result.stderr
        assert out.read_text() == committed.read_text(), f"db {verb} output differs from {committed.name}"


def test_readme_links_the_schema_docs():
    readme = (snapshot.SNAPSHOT_PATH.parent.parent / "README.md").read_text()
    assert "docs/schema.md" in readme and "docs/schema.sql" in readme
