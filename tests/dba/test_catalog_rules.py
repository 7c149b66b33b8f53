"""Catalog rules (service/dba/rules.py): the migrated schema passes each, and each catches a bad table."""

from __future__ import annotations

import asyncpg
import pytest

from service.dba.rules import RULES, RULES_BY_NAME, check_rules
from tests.platform.test_cli import run_cli


async def test_the_migrated_schema_passes_every_rule(conn):
    assert await check_rules(conn) == []


def test_cli_rules_passes_on_the_migrated_schema(db_url):
    result = run_cli("db", "rules", db_url=db_url)
    assert result.returncode == 0, result.stdout + result.stderr


BAD = {
    "primary_key": (
        ["CREATE TABLE bad (x integer)"],
        ["bad: table has no primary key"]),
    "fk_index": (
        ["CREATE TABLE bad (id integer PRIMARY KEY, user_id uuid REFERENCES users ON DELETE CASCADE, n integer)",
         "CREATE INDEX bad_n_user_id_idx ON bad (n, user_id)",  # FK column not leading: does not count
         "CREATE INDEX bad_user_id_part_idx ON bad (user_id) WHERE n > 0"],  # partial: does not count
        ["bad: foreign key bad_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE has no "
         "valid, non-partial index led by its columns"]),
    "fk_on_delete": (
        ["CREATE TABLE bad (id integer PRIMARY KEY, user_id uuid REFERENCES users)",
         "CREATE INDEX bad_user_id_idx ON bad (user_id)"],
        ["bad: foreign key bad_user_id_fkey has no ON DELETE action (NO ACTION); choose CASCADE, SET NULL or "
         "RESTRICT"]),
    "enum_check": (
        ["CREATE TABLE bad (id integer PRIMARY KEY, status text, payment_kind varchar(10), statusbar text)"],
        ["bad.payment_kind: enum-like text column has no CHECK constraint",
         "bad.status: enum-like text column has no CHECK constraint"]),
    "timestamptz": (
        ["CREATE TABLE bad (id integer PRIMARY KEY, at timestamp, ats timestamp(3)[])"],
        ["bad.at: timestamp without time zone column; use timestamptz",
         "bad.ats: timestamp(3) without time zone[] column; use timestamptz"]),
    "money_numeric": (
        ["CREATE TABLE bad (id integer PRIMARY KEY, amount float8, fee money, total_spend integer, "
         "unit_price numeric(12, 2))"],
        ["bad.amount: money held as double precision; use numeric(12,2)",
         "bad.fee: money held as money; use numeric(12,2)",
         "bad.total_spend: money held as integer; use numeric(12,2)"]),
    "jsonb": (
        ["CREATE TABLE bad (id integer PRIMARY KEY, doc json, docs json[], ok jsonb)"],
        ["bad.doc: json column; use jsonb", "bad.docs: json column; use jsonb"]),
    "updated_at_trigger": (
        ["CREATE TABLE bad (id integer PRIMARY KEY, updated_at timestamptz)",
         # an AFTER trigger does not keep updated_at
         "CREATE TRIGGER bad_set_updated_at_trg AFTER UPDATE ON bad FOR EACH ROW EXECUTE FUNCTION set_updated_at()"],
        ["bad: has updated_at but no BEFORE UPDATE FOR EACH ROW trigger executing set_updated_at()"]),
    "version_trigger": (
        ["CREATE TABLE bad (id integer PRIMARY KEY, version bigint NOT NULL DEFAULT 0)",
         # an AFTER trigger does not bump the version the UPDATE writes
         "CREATE TRIGGER bad_bump_version_trg AFTER UPDATE ON bad FOR EACH ROW EXECUTE FUNCTION bump_version()"],
        ["bad: has version but no BEFORE UPDATE FOR EACH ROW trigger executing bump_version()"]),
    "names": (
        ["CREATE TABLE bad (id integer CONSTRAINT pk PRIMARY KEY, x integer CONSTRAINT x_positive CHECK (x > 0), "
         "y integer, CONSTRAINT bad_y_key UNIQUE (y), CONSTRAINT bad_chk CHECK (y > 0))",
         "CREATE INDEX x_index ON bad (x)",
         "CREATE UNIQUE INDEX bad_x_idx ON bad (x)",
         "CREATE TRIGGER touch BEFORE UPDATE ON bad FOR EACH ROW EXECUTE FUNCTION set_updated_at()"],
        ["bad: constraint bad_chk breaks the naming convention bad_<columns or rule>_chk",
         "bad: constraint pk breaks the naming convention bad_pkey",
         "bad: constraint x_positive breaks the naming convention bad_<columns or rule>_chk",
         "bad: index bad_x_idx breaks the naming convention bad_<columns or rule>_key",
         "bad: index x_index breaks the naming convention bad_<columns or rule>_idx",
         "bad: trigger touch breaks the naming convention bad_<columns or rule>_trg"]),
    "comments": (
        ["CREATE TABLE bad (id integer PRIMARY KEY, meta jsonb, kind text CHECK (kind ~ '^[a-z]+$'), "
         "role text CHECK (role IN ('a', 'b')))"],
        ["bad.kind: enum-like column has no COMMENT", "bad.meta: jsonb column has no COMMENT",
         "bad: table has no COMMENT"]),
}


def test_every_rule_has_a_bad_example():
    assert set(BAD) == {rule.name for rule in RULES}


@pytest.mark.parametrize("rule", BAD)
async def test_a_bad_table_is_reported(conn, rule):
    statements, expected = BAD[rule]
    for statement in statements:
        await conn.execute(statement)
    assert sorted(await RULES_BY_NAME[rule].check(conn)) == expected


async def test_an_index_starting_with_the_fk_columns_in_any_order_satisfies_the_fk_rule(conn):
    await conn.execute("CREATE TABLE parent (id integer PRIMARY KEY, n integer, "
                       "CONSTRAINT parent_id_n_key UNIQUE (id, n))")
    await conn.execute("CREATE TABLE child (id integer PRIMARY KEY, pid integer, pn integer, extra integer, "
                       "CONSTRAINT child_parent_fkey FOREIGN KEY (pid, pn) REFERENCES parent (id, n) "
                       "ON DELETE RESTRICT)")
    await conn.execute("CREATE INDEX child_pn_pid_extra_idx ON child (pn, pid, extra)")
    assert await RULES_BY_NAME["fk_index"].check(conn) == []
    assert await RULES_BY_NAME["fk_on_delete"].check(conn) == []


FK_PARENT = ("CREATE TABLE parent (id integer PRIMARY KEY, n integer, "
             "CONSTRAINT parent_id_n_key UNIQUE (id, n))")
FK_CHILD = ("CREATE TABLE child (id integer PRIMARY KEY, pid integer, pn integer, extra integer, "
            "CONSTRAINT child_parent_fkey FOREIGN KEY (pid, pn) REFERENCES parent (id, n) ON DELETE RESTRICT)")
FK_PROBLEM = ("child: foreign key child_parent_fkey FOREIGN KEY (pid, pn) REFERENCES parent(id, n) ON DELETE RESTRICT "
              "has no valid, non-partial index led by its columns")


@pytest.mark.parametrize("index", [
    "CREATE INDEX child_pn_extra_idx ON child (pn, extra)",  # led by an FK column not unique in the parent
    "CREATE INDEX child_pid_pn_idx ON child (pid, pn) WHERE extra > 0",  # partial
    "CREATE INDEX child_pn_idx ON child (pn) INCLUDE (pid)",  # INCLUDE is not a key column
    "CREATE INDEX child_extra_pid_pn_idx ON child (extra, pid, pn)",  # FK columns not leading
    "CREATE UNIQUE INDEX child_pn_extra_key ON child (pn, extra)",  # unique, but not on FK columns only
])
async def test_an_index_not_led_by_all_the_fk_columns_does_not_count(conn, index):
    await conn.execute(FK_PARENT)
    await conn.execute(FK_CHILD)
    await conn.execute(index)
    assert await RULES_BY_NAME["fk_index"].check(conn) == [FK_PROBLEM]


async def test_an_invalid_index_does_not_count(conn):
    await conn.execute(FK_PARENT)
    await conn.execute(FK_CHILD)
    await conn.execute("INSERT INTO parent VALUES (1, 1)")
    await conn.execute("INSERT INTO child VALUES (1, 1, 1, 1), (2, 1, 1, 1)")
    # A unique index that fails to build concurrently is left behind invalid (indisvalid = false).
    with pytest.raises(asyncpg.UniqueViolationError):
        await conn.execute("CREATE UNIQUE INDEX CONCURRENTLY child_pid_pn_key ON child (pid, pn)")
    assert await conn.fetchval("SELECT indisvalid FROM pg_index WHERE indexrelid = 'child_pid_pn_key'::regclass") \
        is False
    assert await RULES_BY_NAME["fk_index"].check(conn) == [FK_PROBLEM]


@pytest.mark.parametrize("index", [
    "CREATE UNIQUE INDEX child_pid_key ON child (pid)",  # at most one row per FK value
    "CREATE INDEX child_pid_idx ON child (pid)",  # parent.id alone is unique: pid determines pn
    "CREATE INDEX child_pid_pn_idx ON child (pid, pn) WHERE pid IS NOT NULL",  # implied by the FK's equality
])
async def test_a_unique_or_not_null_partial_index_on_the_fk_columns_counts(conn, index):
    await conn.execute(FK_PARENT)
    await conn.execute(FK_CHILD)
    await conn.execute(index)
    assert await RULES_BY_NAME["fk_index"].check(conn) == []
