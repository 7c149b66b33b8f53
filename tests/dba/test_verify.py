"""Drift: ``db verify`` and ``/ready`` see hand-made changes to a live database."""

from __future__ import annotations

from service.dba import snapshot
from tests.helpers import assert_problem
from tests.platform.test_cli import run_cli

HAND_CHANGES = [
    "ALTER TABLE users ALTER COLUMN display_name TYPE varchar(100)",
    "ALTER TABLE users ALTER COLUMN is_active SET DEFAULT FALSE",
    "ALTER TABLE users ADD COLUMN nickname text",
    "ALTER TABLE audit_log DROP COLUMN client_addr",
    "ALTER TABLE audit_log DROP CONSTRAINT audit_log_details_chk",
    "ALTER TABLE auth_sessions ADD CONSTRAINT auth_sessions_user_agent_chk2 CHECK (user_agent <> '')",
    "DROP INDEX auth_sessions_user_id_idx",
    "CREATE INDEX users_created_at_idx ON users (created_at)",
    "DROP TRIGGER users_set_updated_at_trg ON users",
    "CREATE TABLE stray (id integer PRIMARY KEY)",
    "CREATE FUNCTION stray_fn() RETURNS integer LANGUAGE sql AS 'SELECT 1'",
    "COMMENT ON TABLE users IS 'edited by hand'",
    # Issue #13 §5: grants and row-level security are part of the schema.
    "GRANT UPDATE ON audit_log TO service_app",
    "REVOKE ALL ON expenses FROM service_app",
    "ALTER TABLE tasks ENABLE ROW LEVEL SECURITY",
    "CREATE POLICY tasks_owner_policy ON tasks FOR SELECT TO service_app USING (true)",
]

EXPECTED = [
    "changed column users.display_name: snapshot has 'text', database has 'character varying(100)'",
    "changed column users.is_active: snapshot has 'boolean NOT NULL DEFAULT true', "
    "database has 'boolean NOT NULL DEFAULT false'",
    "extra column users.nickname: text",
    "missing column audit_log.client_addr: inet",
    "missing constraint audit_log.audit_log_details_chk:",
    "extra constraint auth_sessions.auth_sessions_user_agent_chk2:",
    "missing index auth_sessions.auth_sessions_user_id_idx:",
    "extra index users.users_created_at_idx:",
    "missing trigger users.users_set_updated_at_trg:",
    "extra table stray:",
    "extra column stray.id: integer NOT NULL",
    "extra function stray_fn():",
    "changed comment table users:",
    "changed grant audit_log to service_app: snapshot has 'GRANT SELECT, INSERT ON TABLE audit_log TO service_app;', "
    "database has 'GRANT SELECT, INSERT, UPDATE ON TABLE audit_log TO service_app;'",
    "missing grant expenses to service_app: GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE expenses TO service_app;",
    "extra row security tasks: ALTER TABLE tasks ENABLE ROW LEVEL SECURITY;",
    "extra policy tasks.tasks_owner_policy: CREATE POLICY tasks_owner_policy ON tasks AS PERMISSIVE FOR SELECT "
    "TO service_app USING (true);",
]


def test_verify_passes_on_a_freshly_migrated_database(db_url):
    result = run_cli("db", "verify", db_url=db_url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "matches" in result.stdout


async def test_verify_lists_every_hand_made_change(db_url, conn):
    for statement in HAND_CHANGES:
        await conn.execute(statement)
    result = run_cli("db", "verify", db_url=db_url)
    assert result.returncode == 1, result.stdout + result.stderr
    for line in EXPECTED:
        assert line in result.stdout, f"{line!r} not reported in:\n{result.stdout}"


async def test_verify_sees_a_changed_function_body(db_url, conn):
    await conn.execute("CREATE OR REPLACE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql "
                       "AS $$ BEGIN RETURN NEW; END; $$")
    result = run_cli("db", "verify", db_url=db_url)
    assert result.returncode == 1
    assert "changed function set_updated_at(): differs:" in result.stdout
    assert "-    NEW.updated_at := now();" in result.stdout


def test_compare_reports_a_column_order_change_alone():
    before = "-- Table: t\nCREATE TABLE t (\n    a integer,\n    b text\n);\n"
    after = "-- Table: t\nCREATE TABLE t (\n    b text,\n    a integer\n);\n"
    assert [str(d) for d in snapshot.compare(before, after)] == [
        "changed column order t: snapshot (a, b), database (b, a)"]


async def test_ready_is_503_on_drift(client, conn):
    assert (await client.get("/ready")).status_code == 200
    await conn.execute("ALTER TABLE users ADD COLUMN nickname text")
    body = assert_problem(await client.get("/ready"), 503)
    assert body["drift"] == ["extra column users.nickname"]
    await conn.execute("ALTER TABLE users DROP COLUMN nickname")
    assert (await client.get("/ready")).status_code == 200
