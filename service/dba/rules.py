"""Catalog rules: the schema conventions, checked on ``pg_catalog`` so they cover every future table.

Each rule is one ``sql/platform/rule_*.sql`` statement returning one problem
line per offender (yoyo's bookkeeping tables excepted). Two rules need a
definition of their own:

- **enum-like column**: a ``text``/``varchar`` column named ``status``,
  ``state``, ``kind``, ``type``, ``role``, ``period``, ``action``,
  ``provider``, ``event`` or ``reason``, or ending in ``_`` + one of those
  (``onboarding_status``, ``revoked_reason``, ``metric_kind``). It needs a
  CHECK that mentions it (a value list, or a pattern for an open set such as
  an external provider's event types), and a COMMENT unless that CHECK lists
  the values (``col IN (...)``), which documents it already.
- **money-like column**: named ``amount``, ``price``, ``cost``, ``balance``,
  ``budget``, ``fee``, ``spend``, ``spent`` or ending in ``_`` + one of those
  (``total_spend``); it must be ``numeric``. The ``money`` type is refused
  everywhere.

Column comments are required for every ``jsonb`` column (its shape is not in
the DDL) and the enum-like columns above; other columns are commented when a
reviewer asks, which no query can decide.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from service.db import platform_repo as repo
from service.db.queries import Connection

ENUM_LIKE = r"^(.+_)?(status|state|kind|type|role|period|action|provider|event|reason)$"
MONEY_LIKE = r"^(.+_)?(amount|price|cost|balance|budget|fee|spend|spent)$"


@dataclass(frozen=True)
class Rule:
    name: str
    description: str
    check: Callable[[Connection], Awaitable[list[str]]]


RULES: list[Rule] = [
    Rule("primary_key", "every table has a primary key", repo.rule_primary_key),
    Rule("fk_index", "every foreign key has an index starting with its columns", repo.rule_fk_index),
    Rule("fk_on_delete", "every foreign key chooses its ON DELETE action (not the implicit NO ACTION)",
         repo.rule_fk_on_delete),
    Rule("enum_check", "every enum-like text column has a CHECK", lambda c: repo.rule_enum_check(c, ENUM_LIKE)),
    Rule("timestamptz", "timestamps are timestamptz", repo.rule_timestamptz),
    Rule("money_numeric", "money is numeric", lambda c: repo.rule_money_numeric(c, MONEY_LIKE)),
    Rule("jsonb", "jsonb, never json", repo.rule_jsonb),
    Rule("updated_at_trigger", "every table with updated_at has the set_updated_at() trigger",
         repo.rule_updated_at_trigger),
    Rule("version_trigger", "every table with version (ETag, If-Match) has the bump_version() trigger",
         repo.rule_version_trigger),
    Rule("names", "constraints, indexes and triggers are named by the convention", repo.rule_names),
    Rule("comments", "every table, jsonb column and enum-like column has a COMMENT",
         lambda c: repo.rule_comments(c, ENUM_LIKE)),
]
RULES_BY_NAME = {rule.name: rule for rule in RULES}


async def check_rules(conn: Connection) -> list[str]:
    """Every problem of every rule, each prefixed with the rule's name, sorted."""
    problems = []
    for rule in RULES:
        problems += [f"[{rule.name}] {p}" for p in sorted(await rule.check(conn))]
    return problems
