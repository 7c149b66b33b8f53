"""The measured paths: one ``Scenario`` each, in the order the table prints them.

A scenario is two descriptions of the same work:

- ``script``: a k6 script in ``tests/load/`` that sends the HTTP requests
  (it imports ``lib.js`` for the users, tokens and the summary);
- ``ceiling``: pgbench steps that run the very SQL files the service runs
  for that request (``Step("accounts/get_user", (...))``), with the
  parameters drawn the same way, so the report can say which fraction of
  the database-only throughput the HTTP service reaches.

Parameters are drawn the same way on both sides: k6's ``lib.js`` draws a
user number ``u`` uniformly from ``1..users`` and pgbench draws
``\\set u random(1, :users)``; the data set gives user ``u`` the id
``bench_uuid(u)``, which the SQL side computes with ``uuid_sql(":u")``.
Other domains follow the same rule: draw small integers on both sides and
map them to ids with a pure function both sides know (a fresh table's
identity ids are 1..N in COPY order).

Adding a scenario: write ``tests/load/<name>.js`` (copy ``me.js``), append a
``Scenario`` to ``SCENARIOS`` below, and fill its tables in ``dataset.py``
(a filler in ``FILLERS`` whose ``Facts`` give both sides the counts to draw
from: ``\\set c random(1, :chats)`` in ``draws``, ``__ENV.CHATS`` in k6).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from uuid import UUID

from service.config import PROJECT_ROOT
from service.db.queries import load_sql

LOAD_DIR = PROJECT_ROOT / "tests" / "load"
PASSWORD = "bench password 1"  # noqa: S105 - every bench user's password (see dataset.py)


def bench_uuid(u: int) -> UUID:
    """The id of bench user number ``u`` (1-based)."""
    return UUID(f"00000000-0000-4000-8000-{u:012x}")


def uuid_sql(var: str) -> str:
    """The SQL expression that computes ``bench_uuid`` from a pgbench integer variable."""
    return f"('00000000-0000-4000-8000-' || lpad(to_hex({var}::bigint), 12, '0'))::uuid"


CHATS_PER_USER = 4
"""User ``u`` owns chats ``u + users * k`` for ``k`` in 0..3: k < 3 solo, k = 3 a group with the next two users."""


def chat_uuid(c: int) -> UUID:
    """The id of bench chat number ``c`` (1-based)."""
    return UUID(f"00000000-0000-4000-9000-{c:012x}")


def chat_sql(var: str) -> str:
    """The SQL expression that computes ``chat_uuid`` from a pgbench integer variable."""
    return f"('00000000-0000-4000-9000-' || lpad(to_hex({var}::bigint), 12, '0'))::uuid"


def bench_email(u: int) -> str:
    return f"bench{u}@bench.test"


def email_sql(var: str) -> str:
    return f"('bench' || {var}::bigint || '@bench.test')"


@dataclass(frozen=True)
class Step:
    """One SQL file as pgbench runs it: ``params`` are SQL expressions for ``$1..$n``."""

    sql: str
    params: tuple[str, ...]
    gset: str | None = None
    """pgbench ``\\gset`` prefix: keep the row's columns as variables for later steps."""


Item = Step | str
"""A step, or a raw pgbench line such as ``"BEGIN;"``."""


@dataclass(frozen=True)
class Weighted:
    """One script of a mixed ceiling, run with this weight (``pgbench -f file@weight``)."""

    weight: int
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Scenario:
    name: str
    """Key in the JSON report: E1..E5, or a short name for the stand-ins."""
    label: str
    """What the table shows: method and path."""
    script: str
    """File name in tests/load/."""
    draws: dict[str, str] = field(default_factory=lambda: {"u": "random(1, :users)"})
    """pgbench ``\\set`` lines, mirroring what the k6 script draws."""
    ceiling: tuple[Item, ...] | tuple[Weighted, ...] = ()
    """Empty: no database-only ceiling for this path."""
    clients: int | None = None
    """Concurrent connections; None: the run's ``--clients``."""
    note: str = ""
    default: bool = True
    """Part of a plain ``python -m service bench`` (the stand-ins run only when named)."""

    @property
    def script_path(self) -> Path:
        return LOAD_DIR / self.script


CHAT_DRAWS = {"u": "random(1, :users)", "k": "random(0, 3)", "c": ":u + :users * :k"}
"""A user, then one of the four chats it owns (``lib.js`` ``chatOf``)."""
MONTH_DRAWS = {"u": "random(1, :users)", "m": "random(1, 12)"}
"""A user, then a month of the data set's year (``lib.js`` ``monthQuery``)."""
MONTH_FROM = "make_date(:year, :m, 1)"
MONTH_TO = "(make_date(:year, :m, 1) + interval '1 month' - interval '1 day')::date"
MESSAGE = "'Load test message'"  # the body of e3_post_message.js: role user, thinking [], action none

E1_STEPS: tuple[Item, ...] = (Step("tasks/list_tasks_by_completed", (uuid_sql(":u"), "false", "NULL", "51")),)
E2_STEPS: tuple[Item, ...] = (Step("chats/list_messages", (uuid_sql(":u"), chat_sql(":c"), "NULL", "51")),)
E3_STEPS: tuple[Item, ...] = (Step("chats/post_message", (uuid_sql(":u"), chat_sql(":c"), "'user'", MESSAGE,
                                                           "'[]'", "'none'", "NULL")),)
E4_STEPS: tuple[Item, ...] = (Step("expenses/spending_report", (uuid_sql(":u"), MONTH_FROM, MONTH_TO)),)
TASK_STEPS: tuple[Item, ...] = (Step("tasks/insert_task", (uuid_sql(":u"), "'Load test task'", "NULL")),)

SCENARIOS: list[Scenario] = [
    Scenario(name="E1", label="GET /tasks?completed=false&limit=50", script="e1_tasks.js", ceiling=E1_STEPS),
    Scenario(name="E2", label="GET /chats/{id}/messages?limit=50", script="e2_messages.js", draws=CHAT_DRAWS,
             ceiling=E2_STEPS, note="a chat the caller is a member of"),
    Scenario(name="E3", label="POST /chats/{id}/messages", script="e3_post_message.js", draws=CHAT_DRAWS,
             ceiling=E3_STEPS),
    Scenario(name="E4", label="GET /reports/spending (one month)", script="e4_spending.js", draws=MONTH_DRAWS,
             ceiling=E4_STEPS),
    Scenario(
        name="mix", label="mixed: 80% reads, 20% writes", script="mix.js",
        draws={**CHAT_DRAWS, "m": "random(1, 12)"},
        ceiling=(Weighted(30, E1_STEPS), Weighted(30, E2_STEPS), Weighted(20, E4_STEPS), Weighted(15, E3_STEPS),
                 Weighted(5, TASK_STEPS)),
        note="E1 30%, E2 30%, E4 20%, E3 15%, POST /tasks 5%",
    ),
    Scenario(
        name="E5", label="POST /auth/login", script="e5_login.js", clients=8,
        ceiling=(
            Step("accounts/get_credentials_by_email", (email_sql(":u"),)),
            "BEGIN;",
            Step("accounts/insert_session",
                 (uuid_sql(":u"), "sha256(random()::text::bytea)", "'k6'", "2592000"), gset="s_"),
            Step("accounts/insert_audit",
                 (uuid_sql(":u"), "'login'", "'127.0.0.1'", "jsonb_build_object('session_id', :s_id::text)")),
            "COMMIT;",
        ),
        note="argon2id verification dominates: measured apart, with fewer clients",
    ),
    Scenario(
        name="me", label="GET /me", script="me.js",
        ceiling=(Step("accounts/get_user", (uuid_sql(":u"),)),),
        note="stand-in simple read (one primary-key lookup)", default=False,
    ),
    Scenario(
        name="me_audit", label="GET /me/audit?limit=50", script="me_audit.js",
        ceiling=(Step("accounts/list_audit", (uuid_sql(":u"), "NULL", "51")),),
        note="stand-in paginated read (limit + 1 rows by index)", default=False,
    ),
]


def by_name(names: list[str] | None) -> list[Scenario]:
    if not names:
        return [s for s in SCENARIOS if s.default]
    known = {s.name: s for s in SCENARIOS}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ValueError(f"unknown scenario(s) {', '.join(unknown)}; known: {', '.join(known)}")
    return [known[n] for n in names]


_PARAM = re.compile(r"\$(\d+)")


def render_step(step: Step) -> str:
    """The SQL file's statement with ``$n`` replaced by the step's expressions (comments dropped)."""
    lines = [line for line in load_sql(step.sql).splitlines() if not line.lstrip().startswith("--")]
    text = "\n".join(lines).strip().rstrip(";")

    def param(match: re.Match[str]) -> str:
        n = int(match.group(1))
        if not 1 <= n <= len(step.params):
            raise ValueError(f"sql/{step.sql}.sql uses ${n}, the step gives {len(step.params)} parameters")
        return f"({step.params[n - 1]})"

    # pgbench reads one command per line-terminated statement: keep it on one line.
    out = " ".join(_PARAM.sub(param, text).split())
    # \gset takes the place of the terminating semicolon.
    return out + (f" \\gset {step.gset}" if step.gset else ";")


def render_script(draws: dict[str, str], items: tuple[Item, ...]) -> str:
    lines = [f"\\set {name} {expr}" for name, expr in draws.items()]
    lines += [render_step(item) if isinstance(item, Step) else item for item in items]
    return "\n".join(lines) + "\n"


def pgbench_scripts(scenario: Scenario) -> list[tuple[str, int]]:
    """(script text, weight) for each pgbench ``-f`` of the scenario's ceiling."""
    if not scenario.ceiling:
        return []
    if all(isinstance(c, Weighted) for c in scenario.ceiling):
        return [(render_script(scenario.draws, w.items), w.weight) for w in scenario.ceiling]  # type: ignore[union-attr]
    return [(render_script(scenario.draws, scenario.ceiling), 1)]  # type: ignore[arg-type]
