"""Migration rules read from the files' text (service/dba/lint.py), each shown to catch a bad example."""

from __future__ import annotations

import pytest

from service.dba.lint import lint_migrations
from tests.platform.test_cli import run_cli

HEAD = "-- {name}\n-- depends:\nSET lock_timeout = '5s';\nSET statement_timeout = '60s';\n\n"
ROLLBACK = "SET lock_timeout = '5s';\n\nSELECT 1;\n"


def write(directory, name: str, body: str, rollback: str = ROLLBACK, head: str = HEAD) -> None:
    (directory / f"{name}.sql").write_text(head.format(name=name) + body)
    (directory / f"{name}.rollback.sql").write_text(rollback)


def test_the_repository_migrations_pass():
    assert lint_migrations() == []


def test_cli_lint_passes_on_the_repository():
    result = run_cli("db", "lint", db_url="postgresql://unused")
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_good_migration_passes(tmp_path):
    write(tmp_path, "0001_create_things", """\
CREATE TABLE things (id integer NOT NULL, CONSTRAINT things_pkey PRIMARY KEY (id));

-- The table is created empty in this migration: nothing to block.
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX things_id_idx ON things (id);
""", rollback="SET lock_timeout = '5s';\n\nDROP TABLE things;\n")
    write(tmp_path, "0002_add_things_check",
          "ALTER TABLE things ADD CONSTRAINT things_id_chk CHECK (id > 0) NOT VALID;\n")
    write(tmp_path, "0003_validate_things_check", "ALTER TABLE things VALIDATE CONSTRAINT things_id_chk;\n")
    write(tmp_path, "0004_index_things", "CREATE INDEX CONCURRENTLY things_x_idx ON things (id);\n",
          head="-- {name}\n-- depends:\n-- transactional: false\nSET lock_timeout = '5s';\n"
               "SET statement_timeout = '60s';\n\n")
    assert lint_migrations(tmp_path) == []


BAD = {
    "no lock_timeout": (
        "CREATE TABLE t (id integer);\n", HEAD.replace("SET lock_timeout = '5s';\n", ""),
        "0001_bad.sql:1: does not SET lock_timeout"),
    "no statement_timeout": (
        "CREATE TABLE t (id integer);\n", HEAD.replace("SET statement_timeout = '60s';\n", ""),
        "0001_bad.sql:1: does not SET statement_timeout"),
    "timeout set too late": (
        "CREATE TABLE t (id integer);\nSET lock_timeout = '5s';\n", "-- {name}\nSET statement_timeout = '1s';\n",
        "SET lock_timeout must come before any other statement"),
    "squawk-ignore without a reason": (
        "CREATE TABLE t (id integer);\n\n-- squawk-ignore require-concurrent-index-creation\n"
        "CREATE INDEX t_idx ON t (id);\n",
        HEAD, "0001_bad.sql:8: a squawk-ignore needs the reason on the comment line right above it"),
    "squawk-ignore-file": (
        "-- Because I said so, for the whole file.\n-- squawk-ignore-file\nCREATE TABLE t (id integer);\n", HEAD,
        "squawk exceptions are per statement, never squawk-ignore-file"),
    "squawk-ignore far from its statement": (
        "-- The table is created empty in this migration.\n-- squawk-ignore require-concurrent-index-creation\n\n"
        "CREATE TABLE t (id integer);\n", HEAD, "must stand right above the statement it excuses"),
    "index on an existing table, not concurrent": (
        "CREATE INDEX users_created_at_idx ON users (created_at);\n", HEAD,
        "0001_bad.sql:6: CREATE INDEX on users, a table this migration did not create, must be CREATE INDEX "
        "CONCURRENTLY"),
    "concurrent index in a transaction": (
        "CREATE INDEX CONCURRENTLY users_created_at_idx ON users (created_at);\n", HEAD,
        "CONCURRENTLY needs '-- transactional: false'"),
    "check on an existing table, validated at once": (
        "ALTER TABLE users ADD CONSTRAINT users_x_chk CHECK (x > 0);\n", HEAD,
        "CHECK constraint users_x_chk added to the existing table users must be NOT VALID"),
    "foreign key on an existing table, validated at once": (
        "ALTER TABLE public.users\n    ADD CONSTRAINT users_org_id_fkey FOREIGN KEY (org_id) REFERENCES orgs (id) "
        "ON DELETE CASCADE;\n", HEAD, "FOREIGN KEY constraint users_org_id_fkey added to the existing table users"),
    "NOT VALID, validated in the same transaction": (
        "ALTER TABLE users ADD CONSTRAINT users_x_chk CHECK (x > 0) NOT VALID;\n"
        "ALTER TABLE users VALIDATE CONSTRAINT users_x_chk;\n", HEAD,
        "constraint users_x_chk is added NOT VALID but never validated"),
    "unnamed check on an existing table": (
        "ALTER TABLE users ADD CHECK (x > 0) NOT VALID;\n", HEAD, "unnamed CHECK added to users"),
    "column with inline FK on an existing table": (
        "ALTER TABLE users ADD COLUMN org_id uuid REFERENCES orgs (id) ON DELETE SET NULL;\n", HEAD,
        "column with an inline REFERENCES added to the existing table users"),
}


@pytest.mark.parametrize("case", BAD)
def test_a_bad_migration_is_reported(tmp_path, case):
    body, head, expected = BAD[case]
    write(tmp_path, "0001_bad", body, head=head)
    problems = lint_migrations(tmp_path)
    assert any(expected in p for p in problems), problems


@pytest.mark.parametrize("statement", [
    "DROP TABLE things CASCADE;", "drop table things cascade;", "ALTER TABLE things DROP COLUMN x CASCADE;",
    "TRUNCATE things CASCADE;", "DROP FUNCTION f() CASCADE;"])
def test_a_rollback_with_cascade_is_reported(tmp_path, statement):
    write(tmp_path, "0001_create_things", "CREATE TABLE things (id integer);\n",
          rollback=f"SET lock_timeout = '5s';\n\n{statement}\n")
    assert any("no CASCADE" in p for p in lint_migrations(tmp_path))


def test_a_rollback_recreating_an_on_delete_cascade_fk_is_fine(tmp_path):
    write(tmp_path, "0001_drop_fk", "ALTER TABLE a DROP CONSTRAINT a_b_id_fkey;\n",
          rollback="SET lock_timeout = '5s';\n-- comment mentioning CASCADE\n"
                   "ALTER TABLE a ADD CONSTRAINT a_b_id_fkey FOREIGN KEY (b_id) REFERENCES b (id) ON DELETE CASCADE;\n")
    assert not any("CASCADE" in p for p in lint_migrations(tmp_path))


def test_a_rollback_without_lock_timeout_is_reported(tmp_path):
    write(tmp_path, "0001_create_things", "CREATE TABLE things (id integer);\n", rollback="DROP TABLE things;\n")
    assert lint_migrations(tmp_path) == ["0001_create_things.rollback.sql:1: does not SET lock_timeout"]


def test_words_in_comments_and_strings_do_not_count(tmp_path):
    write(tmp_path, "0001_create_things", "-- CREATE INDEX x ON users (id);\n"
          "CREATE TABLE things (note text DEFAULT 'CREATE INDEX y ON users (id); DROP TABLE z CASCADE');\n")
    assert lint_migrations(tmp_path) == []


# ---------------------------------------------------------------------------
# Issue #13 §5: DDL in DO blocks, pinned search_path and the online index template after 0112.

PINNED = HEAD + "SET search_path = public, pg_catalog;\n\n"
ONLINE = ("-- {name}\n-- depends:\n-- transactional: false\n-- squawk-disable-assume-in-transaction\n"
          "SET lock_timeout = '2s';\nSET statement_timeout = '60s';\nSET search_path = public, pg_catalog;\n\n")
GOOD_ONLINE_INDEX = ("DROP INDEX CONCURRENTLY IF EXISTS users_created_at_idx;\nSET statement_timeout = 0;\n"
                     "CREATE INDEX CONCURRENTLY IF NOT EXISTS users_created_at_idx ON users (created_at);\n"
                     "SET statement_timeout = '60s';\n")
ROLE_BLOCK = ("DO $$\nBEGIN\n    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'r') THEN\n"
              "        CREATE ROLE r NOLOGIN;\n    END IF;\n    GRANT SELECT ON ALL TABLES IN SCHEMA public TO r;\n"
              "    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO r;\nEND\n$$;\n")


def test_good_migrations_after_0112_pass(tmp_path):
    write(tmp_path, "0140_index_users", GOOD_ONLINE_INDEX, head=ONLINE)
    write(tmp_path, "0141_grant_r", "-- A DO block: the role is created only when it is missing.\n" + ROLE_BLOCK,
          head=PINNED)
    write(tmp_path, "0142_check_data", "DO $$\nBEGIN\n    IF EXISTS (SELECT 1 FROM users WHERE false) THEN\n"
                                       "        RAISE EXCEPTION 'fix the data first: CREATE TABLE x';\n"
                                       "    END IF;\nEND\n$$;\n", head=PINNED)
    write(tmp_path, "0143_local_settings", "CREATE TABLE t (id integer);\n",
          head=PINNED.replace("SET lock_timeout", "SET LOCAL lock_timeout"))
    assert lint_migrations(tmp_path) == []


def test_migrations_up_to_0112_are_grandfathered_by_number(tmp_path):
    write(tmp_path, "0112_old", "CREATE INDEX CONCURRENTLY users_x_idx ON users (x);\n",
          head="-- {name}\n-- depends:\n-- transactional: false\nSET lock_timeout = '5s';\n"
               "SET statement_timeout = '60s';\n\n")
    assert lint_migrations(tmp_path) == []


BAD_AFTER_0112 = {
    "no search_path": (
        "CREATE TABLE t (id integer);\n", HEAD,
        "0140_bad.sql:1: does not SET search_path (migrations after 0112 pin it"),
    "search_path with $user": (
        "CREATE TABLE t (id integer);\n", HEAD + 'SET search_path = "$user", public;\n\n',
        'search_path is pinned to fixed schemas, without "$user"'),
    "search_path set too late": (
        "CREATE TABLE t (id integer);\nSET search_path = public;\n", HEAD,
        "SET search_path must come before any other statement"),
    "DDL in a DO block": (
        "-- Reason: none would do.\nDO $$\nBEGIN\n    ALTER TABLE users ADD COLUMN x integer;\nEND\n$$;\n", PINNED,
        "0140_bad.sql:9: DDL inside a DO block (ALTER)"),
    "dynamic SQL in a DO block": (
        "DO $body$\nBEGIN\n    EXECUTE format('CREATE INDEX %I ON users (x)', 'i');\nEND\n$body$;\n", PINNED,
        "DDL inside a DO block (EXECUTE)"),
    "lower-case DDL in a DO block after a role grant": (
        "-- Grants.\n" + ROLE_BLOCK.replace("END\n$$", "    create index users_x_idx on users (x);\nEND\n$$"),
        PINNED, "DDL inside a DO block (CREATE)"),
    "role block without a reason": (ROLE_BLOCK, PINNED, "a role/grant DO block needs its reason"),
    "SET LOCAL in a non-transactional migration": (
        GOOD_ONLINE_INDEX, ONLINE.replace("SET lock_timeout", "SET LOCAL lock_timeout"),
        "SET LOCAL has no effect in a '-- transactional: false' migration"),
    "online index without the assume-in-transaction switch": (
        GOOD_ONLINE_INDEX, ONLINE.replace("-- squawk-disable-assume-in-transaction\n", ""),
        "missing '-- squawk-disable-assume-in-transaction' in the header"),
    "online index without IF NOT EXISTS": (
        GOOD_ONLINE_INDEX.replace(" IF NOT EXISTS", ""), ONLINE,
        "missing CREATE INDEX CONCURRENTLY IF NOT EXISTS <name>"),
    "online index without dropping a leftover": (
        GOOD_ONLINE_INDEX.replace("DROP INDEX CONCURRENTLY IF EXISTS users_created_at_idx;\n", ""), ONLINE,
        "missing DROP INDEX CONCURRENTLY IF EXISTS users_created_at_idx before it"),
    "online index dropping another name": (
        GOOD_ONLINE_INDEX.replace("IF EXISTS users_created_at_idx", "IF EXISTS users_other_idx"), ONLINE,
        "missing DROP INDEX CONCURRENTLY IF EXISTS users_created_at_idx before it"),
    "online index under the migration's statement_timeout": (
        GOOD_ONLINE_INDEX.replace("SET statement_timeout = 0;\n", ""), ONLINE,
        "missing SET statement_timeout = 0 right before it"),
}


@pytest.mark.parametrize("case", BAD_AFTER_0112)
def test_a_bad_migration_after_0112_is_reported(tmp_path, case):
    body, head, expected = BAD_AFTER_0112[case]
    write(tmp_path, "0140_bad", body, head=head)
    problems = lint_migrations(tmp_path)
    assert any(expected in p for p in problems), problems


def test_ddl_in_a_do_block_is_reported_in_a_rollback_too(tmp_path):
    write(tmp_path, "0001_create_things", "CREATE TABLE things (id integer);\n",
          rollback="SET lock_timeout = '5s';\n\nDO $$\nBEGIN\n    DROP TABLE things;\nEND\n$$;\n")
    assert any("DDL inside a DO block (DROP)" in p for p in lint_migrations(tmp_path))
