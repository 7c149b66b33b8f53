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
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg

from service.accounts.passwords import Passwords
from service.bench.scenarios import PASSWORD, bench_email, bench_uuid
from service.config import Settings
from service.http.auth import build_auth, issue_access_token

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


FILLERS: list[tuple[str, Filler]] = []
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
