"""The bench data set: a fresh database filled with COPY, and a bearer token for every user.

Users are numbered ``u = 1..users``; user ``u`` has the id ``bench_uuid(u)``,
the email ``bench_email(u)`` and the password ``PASSWORD``.  Registering a
thousand users through the API would cost a thousand argon2id hashes (about
a minute on two cores), so every user gets the *same* precomputed hash,
made once per run with the server's own ``ARGON2_*`` cost: a login still
pays the real verification.  (One salt for all is fine for throwaway bench
data, never for real accounts.)

Each user also gets one sign-in session, and the access token is minted
for it with the server's JWT secret by the function the login route uses,
so the tokens are exactly what ``POST /auth/login`` would have returned.

Other domains add a filler to ``FILLERS``: ``async def fill(conn, users) ->
Facts`` that COPYs its rows (``conn.copy_records_to_table``), numbering rows
so that the k6 scripts and pgbench can draw them (see ``scenarios.py``), and
returns what the two sides need to draw them: ``Facts(variables={"chats":
4000})`` becomes ``pgbench -D chats=4000`` and ``__ENV.CHATS`` in k6, and
``Facts(per_user={u: {"chat_ids": [...]}})`` is merged into user ``u``'s
entry of users.json (``user()`` in ``lib.js`` returns the entry as ``data``).
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import asyncpg

from service.accounts.passwords import Passwords
from service.bench.scenarios import CHATS_PER_USER, PASSWORD, bench_email, bench_uuid, chat_uuid
from service.config import Settings
from service.http.auth import build_auth, issue_access_token
from service.http.names import name_key

log = logging.getLogger("service.bench")

AUDIT_PER_USER = 60  # more than one page of GET /me/audit (limit 50)

@dataclass
class Facts:
    """What a filler tells the load side: pgbench/k6 variables, and extra data per user number."""

    variables: dict[str, int] = field(default_factory=dict)
    per_user: dict[int, dict[str, Any]] = field(default_factory=dict)


Filler = Callable[[asyncpg.Connection, int], Awaitable[Facts | None]]


async def fill_accounts(conn: asyncpg.Connection, users: int, password_hash: str) -> list[tuple[Any, Any]]:
    """Users, one session each, and an audit trail; returns (user id, session id) in user order."""
    await conn.copy_records_to_table(
        "users",
        columns=["id", "email", "username", "display_name", "password_hash", "onboarding_status"],
        records=((bench_uuid(u), bench_email(u), f"bench_{u}", f"Bench User {u}", password_hash, "complete")
                 for u in range(1, users + 1)),
    )
    sessions = await conn.fetch(
        "INSERT INTO auth_sessions (user_id, token_hash, user_agent, expires_at) "
        "SELECT id, sha256(convert_to(id::text, 'UTF8')), 'bench', now() + interval '1 day' FROM users "
        "RETURNING user_id, id")
    session_of = {r["user_id"]: r["id"] for r in sessions}
    await conn.copy_records_to_table(
        "audit_log",
        columns=["user_id", "event", "client_addr", "details"],
        records=((bench_uuid(u), "login", "127.0.0.1", {"n": i})
                 for u in range(1, users + 1) for i in range(AUDIT_PER_USER)),
    )
    return [(bench_uuid(u), session_of[bench_uuid(u)]) for u in range(1, users + 1)]


async def binary_jsonb(conn: asyncpg.Connection) -> None:
    """COPY speaks binary: jsonb is a version byte then the text; fillers pass dicts and lists."""
    await conn.set_type_codec("jsonb", schema="pg_catalog", format="binary",
                              encoder=lambda value: b"\x01" + json.dumps(value).encode(),
                              decoder=lambda data: json.loads(data[1:]))


SEED = 20250101
"""Every filler draws from ``random.Random(SEED + its own offset)``: the same data each run, so plans are stable."""
MESSAGES_PER_CHAT = 100
TASKS_PER_USER = 40
EXPENSES_PER_USER = 100
EVENTS_PER_USER = 100
YEAR = 2025
"""Expenses and events fall in this calendar year; E4 asks for one of its months."""

_WORDS = ("lunch budget plan week trip pay rent split coffee team idea note check list meeting gym run "
          "book call send share later today tomorrow groceries ticket train bill phone water done ok").split()


def _texts(rng: random.Random, n: int, lo: int, hi: int) -> list[str]:
    """``n`` made-up sentences of ``lo..hi`` words, drawn once and reused by index (fast)."""
    return [" ".join(rng.choices(_WORDS, k=rng.randint(lo, hi))).capitalize() for _ in range(n)]


def _uuid(rng: random.Random) -> UUID:
    return UUID(int=rng.getrandbits(128), version=4)


def chat_members_of(c: int, users: int) -> tuple[str, list[int]]:
    """(kind, member user numbers, owner first) of chat number ``c``."""
    owner, k = (c - 1) % users + 1, (c - 1) // users
    if k < CHATS_PER_USER - 1:
        return "solo", [owner]
    return "group", [owner, owner % users + 1, (owner + 1) % users + 1]


async def fill_chats(conn: asyncpg.Connection, users: int) -> Facts:
    """4 chats per user (3 solo, 1 group of 3), 100 messages each, interleaved in time over the chats."""
    rng = random.Random(SEED + 1)  # noqa: S311 - reproducible made-up data, not secrets
    chats = users * CHATS_PER_USER
    t0 = datetime(YEAR, 1, 1, tzinfo=UTC)
    kinds = {c: chat_members_of(c, users) for c in range(1, chats + 1)}
    last = t0 + timedelta(seconds=MESSAGES_PER_CHAT * chats)
    await conn.copy_records_to_table(
        "chats", columns=["id", "kind", "title", "created_at", "updated_at"],
        records=((chat_uuid(c), kind, f"Chat {c}", t0, last) for c, (kind, _) in kinds.items()))
    await conn.copy_records_to_table(
        "chat_members", columns=["chat_id", "chat_kind", "user_id", "role"],
        records=((chat_uuid(c), kind, bench_uuid(u), "owner" if i == 0 else "member")
                 for c, (kind, m) in kinds.items() for i, u in enumerate(m)))
    await conn.copy_records_to_table(
        "group_contexts", columns=["chat_id", "last_activity_at"],
        records=((chat_uuid(c), last) for c, (kind, _) in kinds.items() if kind == "group"))
    texts = _texts(rng, 2000, 3, 40)

    def messages() -> Any:
        n = 0
        for i in range(MESSAGES_PER_CHAT):
            for c in range(1, chats + 1):
                n += 1
                members = kinds[c][1]
                user_turn = i % 2 == 0
                yield (chat_uuid(c), bench_uuid(members[(i // 2) % len(members)]) if user_turn else None,
                       "user" if user_turn else "assistant", texts[n % len(texts)], t0 + timedelta(seconds=n))
            if (i + 1) % 25 == 0:
                log.info("bench data:   messages %d/%d", (i + 1) * chats, MESSAGES_PER_CHAT * chats)

    await conn.copy_records_to_table(
        "messages", columns=["chat_id", "sender_id", "role", "content", "created_at"], records=messages())
    return Facts(variables={"chats": chats, "messages": chats * MESSAGES_PER_CHAT})


async def fill_tasks(conn: asyncpg.Connection, users: int) -> Facts:
    """40 tasks per user, a third of them completed, interleaved over the users (ids ascend with time)."""
    rng = random.Random(SEED + 2)  # noqa: S311 - reproducible made-up data, not secrets
    titles, notes = _texts(rng, 500, 2, 8), _texts(rng, 500, 0, 30)
    t0 = datetime(YEAR, 1, 1, tzinfo=UTC)
    await conn.copy_records_to_table(
        "tasks", columns=["user_id", "title", "description", "completed", "created_at", "updated_at"],
        records=((bench_uuid(u), titles[rng.randrange(500)], notes[rng.randrange(500)] or None, rng.random() < 1 / 3,
                  t0 + timedelta(minutes=i * users + u), t0 + timedelta(minutes=i * users + u))
                 for i in range(TASKS_PER_USER) for u in range(1, users + 1)))
    return Facts(variables={"tasks": users * TASKS_PER_USER})


_CATEGORIES = (("Food", "#ef4444", "🍔"), ("Transport", "#3b82f6", "🚗"), ("Shopping", "#10b981", "🛍️"),
               ("Bills", "#f59e0b", "💳"), ("Entertainment", "#8b5cf6", "🎬"), ("Health", "#ec4899", "🏥"))
"""The six defaults of sql/expenses/create_default_categories.sql."""


async def fill_expenses(conn: asyncpg.Connection, users: int) -> Facts:
    """The six default categories per user, 100 expenses each over the year, three budgets each."""
    rng = random.Random(SEED + 3)  # noqa: S311 - reproducible made-up data, not secrets
    cats = {u: [_uuid(rng) for _ in _CATEGORIES] for u in range(1, users + 1)}
    await conn.copy_records_to_table(
        "categories", columns=["id", "user_id", "name", "color", "icon", "is_default", "name_key"],
        records=((cats[u][j], bench_uuid(u), name, color, icon, True, name_key(name))
                 for u in range(1, users + 1) for j, (name, color, icon) in enumerate(_CATEGORIES)))
    descriptions = _texts(rng, 300, 1, 5)
    methods = ("card", "cash", "bank transfer", "direct debit")
    tags = ([], [], ["weekly"], ["work"], ["home", "utility"], ["fun"], ["subscription"])
    jan1 = date(YEAR, 1, 1)
    await conn.copy_records_to_table(
        "expenses", columns=["id", "user_id", "category_id", "amount", "spent_on", "description",
                             "payment_method", "tags"],
        records=((_uuid(rng), bench_uuid(u), cats[u][rng.randrange(6)], Decimal(rng.randint(100, 20000)) / 100,
                  jan1 + timedelta(days=rng.randrange(365)), descriptions[rng.randrange(300)],
                  methods[rng.randrange(4)], tags[rng.randrange(len(tags))])
                 for _ in range(EXPENSES_PER_USER) for u in range(1, users + 1)))
    await conn.copy_records_to_table(
        "budgets", columns=["user_id", "category_id", "amount", "period", "start_date"],
        records=(row for u in range(1, users + 1) for row in (
            (bench_uuid(u), None, Decimal("2000.00"), "monthly", jan1),
            (bench_uuid(u), cats[u][0], Decimal("400.00"), "monthly", jan1),
            (bench_uuid(u), cats[u][1], Decimal("30.00"), "weekly", jan1))))
    return Facts(variables={"expenses": users * EXPENSES_PER_USER, "year": YEAR})


async def fill_quest(conn: asyncpg.Connection, users: int) -> Facts:
    """A pet per user; 100 processed provider events each (raw and normalized) and their daily totals."""
    rng = random.Random(SEED + 4)  # noqa: S311 - reproducible made-up data, not secrets
    await conn.copy_records_to_table(
        "pets", columns=["user_id", "name"], records=((bench_uuid(u), f"Pet {u}") for u in range(1, users + 1)))
    t0 = datetime(YEAR, 1, 1, tzinfo=UTC)
    rows = []
    for i in range(EVENTS_PER_USER):
        for u in range(1, users + 1):
            github = rng.random() < 0.5
            value = rng.randint(1, 12) if github else rng.randint(500, 12000)
            at = t0 + timedelta(seconds=rng.randrange(365 * 86400))
            rows.append(("github" if github else "fitbit", f"b{i}-{u}", "push" if github else "activity", bench_uuid(u),
                         {"kind": "commits" if github else "steps", "value": value,
                          "occurred_at": at.isoformat()}, "processed", at))
    await conn.copy_records_to_table(
        "events_raw", columns=["provider", "provider_event_id", "event_type", "user_id", "payload", "status",
                               "processed_at"], records=rows)
    await conn.execute(
        "INSERT INTO events (user_id, raw_event_id, kind, value, occurred_at) "
        "SELECT user_id, id, payload->>'kind', (payload->>'value')::bigint, processed_at FROM events_raw ORDER BY id")
    await conn.execute(
        "INSERT INTO metrics_cache (user_id, day, kind, total, event_count) "
        "SELECT user_id, (occurred_at AT TIME ZONE 'UTC')::date, kind, sum(value), count(*) FROM events "
        "GROUP BY 1, 2, 3")
    return Facts(variables={"events": users * EVENTS_PER_USER})


FILLERS: list[tuple[str, Filler]] = [
    ("chats and messages", fill_chats),
    ("tasks", fill_tasks),
    ("categories, expenses and budgets", fill_expenses),
    ("pets and quest events", fill_quest),
]
"""(name, filler) of the other domains, run in order after the accounts."""


async def fill(dsn: str, settings: Settings, users: int) -> tuple[list[tuple[Any, Any]], Facts, float]:
    """Fill the (migrated, empty) database: (user id, session id) of each user, the fillers' facts, seconds."""
    facts = Facts(variables={"users": users})
    started = time.perf_counter()
    password_hash = await Passwords(settings).hash(PASSWORD)
    conn = await asyncpg.connect(dsn)
    try:
        await binary_jsonb(conn)
        async with conn.transaction():
            pairs = await fill_accounts(conn, users, password_hash)
        log.info("bench data: %d users, %d audit rows (%.1f s)", users, users * AUDIT_PER_USER,
                 time.perf_counter() - started)
        for name, filler in FILLERS:
            t = time.perf_counter()
            async with conn.transaction():
                more = await filler(conn, users)
            if more is not None:
                facts.variables.update(more.variables)
                for u, extra in more.per_user.items():
                    facts.per_user.setdefault(u, {}).update(extra)
            log.info("bench data: %s (%.1f s)", name, time.perf_counter() - t)
        await conn.execute("ANALYZE")
    finally:
        await conn.close()
    return pairs, facts, round(time.perf_counter() - started, 1)


def fill_sync(dsn: str, settings: Settings, users: int, out: Path) -> tuple[dict[str, Any], dict[str, int]]:
    """Fill, write users.json for k6; (facts for the report, variables for pgbench and k6)."""
    pairs, facts, seconds = asyncio.run(fill(dsn, settings, users))
    auth = build_auth(settings)
    tokens = [issue_access_token(auth, settings, user_id, session_id) for user_id, session_id in pairs]
    out.write_text(json.dumps([{**facts.per_user.get(u, {}), "u": u, "email": bench_email(u), "token": t}
                               for u, t in enumerate(tokens, 1)]))
    return {**facts.variables, "seconds": seconds}, facts.variables
