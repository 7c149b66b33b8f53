"""Scripted fault: the service is killed with SIGKILL in the middle of multi-step writes.

    .venv/bin/python -m tests.faults.kill_midwrite [--rounds 5]

Each round starts the service, keeps three kinds of multi-statement writes
in flight (registrations, which create a user and its six default
categories; signed GitHub webhooks, which store, normalise and apply an
event to a pet; 2,000-row expense imports), and SIGKILLs the process at a
random moment.  Then, with the service dead, it checks in the database that
every write the service had acknowledged is there and that no write is half
done; after ``python -m service events process`` no webhook is left pending
and each pet's xp equals what its stored events are worth.  Exit 1 on any
violation.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import subprocess
import sys
import time

import asyncpg
import httpx

from service.quest.providers import sign
from service.quest.rules import XP_PER_COMMIT
from tests.faults.harness import Rig, account
from tests.quest.support import SETTINGS, push_payload

IMPORT_ROWS = 2000


async def round_of_writes(rig: Rig, round_no: int, acked: dict[str, set[str]]) -> None:
    rig.start_service()
    async with httpx.AsyncClient(base_url=rig.base, timeout=30) as http:
        owner = await account(http, f"petowner{round_no}@example.com")
        sender = str(700000 + round_no)
        pet = await http.post("/pets", headers=owner, json={"name": f"pet{round_no}"})
        assert pet.status_code == 201, pet.text
        integration = await http.post("/integrations", headers=owner, json={
            "provider": "github", "external_account_id": sender, "access_token": "gho_x", "scopes": ["repo"]})
        assert integration.status_code == 201, integration.text
        importer = await account(http, f"importer{round_no}@example.com")
        food = next(c["id"] for c in (await http.get("/categories", headers=importer,
                                                     params={"limit": 50})).json()["items"] if c["name"] == "Food")
        stop = time.monotonic() + random.uniform(1.0, 3.0)

        async def register(i: int) -> None:
            while time.monotonic() < stop + 5:
                email = f"r{round_no}-{i}-{random.randrange(10**9)}@example.com"
                try:
                    r = await http.post("/auth/register", json={"email": email, "password": "a long password"})
                except httpx.TransportError:
                    return
                if r.status_code == 201:
                    acked["users"].add(email)

        async def webhook(i: int) -> None:
            n = 0
            while time.monotonic() < stop + 5:
                n += 1
                body = __import__("msgspec").json.encode(push_payload(sender, 2))
                delivery = f"kill-{round_no}-{i}-{n}"
                headers = {"X-GitHub-Event": "push", "X-GitHub-Delivery": delivery, "Content-Type": "application/json",
                           "X-Hub-Signature-256": sign(SETTINGS.webhook_secret("github") or "", body)}
                try:
                    r = await http.post("/webhooks/github", content=body, headers=headers)
                except httpx.TransportError:
                    return
                if r.status_code == 200:
                    acked["deliveries"].add(delivery)

        async def importer_loop() -> None:
            n = 0
            while time.monotonic() < stop + 5:
                n += 1
                batch = f"batch-{round_no}-{n}"
                rows = [{"category_id": food, "amount": "1.00", "spent_on": "2026-11-01", "description": batch}
                        for _ in range(IMPORT_ROWS)]
                try:
                    r = await http.post("/expenses/import", headers=importer, json={"expenses": rows})
                except httpx.TransportError:
                    return
                if r.status_code == 201:
                    acked["batches"].add(batch)

        async def killer() -> None:
            await asyncio.sleep(max(0.0, stop - time.monotonic()))
            rig.kill_service()

        await asyncio.gather(killer(), importer_loop(), *[register(i) for i in range(3)],
                             *[webhook(i) for i in range(3)])


async def check(rig: Rig, acked: dict[str, set[str]]) -> list[str]:
    problems: list[str] = []
    conn = await asyncpg.connect(rig.dsn)
    try:
        emails = {r["email"] for r in await conn.fetch("SELECT email FROM users")}
        if missing := acked["users"] - emails:
            problems.append(f"{len(missing)} acknowledged registrations are missing")
        half = await conn.fetchval("""SELECT count(*) FROM users AS u WHERE (SELECT count(*) FROM categories AS c
                                      WHERE c.user_id = u.id AND c.is_default) <> 6""")
        if half:
            problems.append(f"{half} users without their six default categories")
        batches = {r["description"]: r["n"] for r in await conn.fetch(
            "SELECT description, count(*) AS n FROM expenses WHERE description LIKE 'batch-%' GROUP BY description")}
        if partial := {b: n for b, n in batches.items() if n != IMPORT_ROWS}:
            problems.append(f"half-done imports: {partial}")
        if missing := acked["batches"] - batches.keys():
            problems.append(f"acknowledged imports missing: {missing}")
        stored = {r["provider_event_id"] for r in await conn.fetch("SELECT provider_event_id FROM events_raw")}
        if missing := acked["deliveries"] - stored:
            problems.append(f"{len(missing)} acknowledged deliveries are missing")
        orphan = await conn.fetchval("""SELECT count(*) FROM events_raw AS r WHERE r.status = 'processed'
                                        AND NOT EXISTS (SELECT 1 FROM events AS e WHERE e.raw_event_id = r.id)""")
        if orphan:
            problems.append(f"{orphan} raw events marked processed without their event")
    finally:
        await conn.close()
    return problems


async def check_after_reprocessing(rig: Rig) -> list[str]:
    subprocess.run([sys.executable, "-m", "service", "events", "process"], env=rig.env, check=True,
                   capture_output=True)
    conn = await asyncpg.connect(rig.dsn)
    try:
        pending = await conn.fetchval("SELECT count(*) FROM events_raw WHERE status = 'pending'")
        wrong = await conn.fetch("""
            SELECT p.id, p.xp, coalesce(sum(e.value) FILTER (WHERE e.kind = 'commits'), 0) * $1 AS expected
            FROM pets AS p LEFT JOIN events AS e ON e.user_id = p.user_id
            GROUP BY p.id, p.xp HAVING p.xp <> coalesce(sum(e.value) FILTER (WHERE e.kind = 'commits'), 0) * $1
        """, XP_PER_COMMIT)
    finally:
        await conn.close()
    problems = [f"{pending} raw events still pending after `events process`"] if pending else []
    problems += [f"pet {r['id']}: xp {r['xp']} but its events are worth {r['expected']}" for r in wrong]
    return problems


async def main(rounds: int) -> int:
    rig = Rig(LOGIN_LIMIT_PER_ACCOUNT="100000", LOGIN_LIMIT_PER_PAIR="100000")
    acked: dict[str, set[str]] = {"users": set(), "deliveries": set(), "batches": set()}
    problems: list[str] = []
    try:
        for round_no in range(rounds):
            await round_of_writes(rig, round_no, acked)
            found = await check(rig, acked)
            print(f"round {round_no + 1}: killed; acknowledged so far: {len(acked['users'])} registrations, "
                  f"{len(acked['deliveries'])} webhooks, {len(acked['batches'])} imports; "
                  f"{'no violation' if not found else found}")
            problems += found
        problems += await check_after_reprocessing(rig)
    finally:
        rig.close()
    for problem in problems:
        print("FAIL:", problem)
    print("PASS" if not problems else "FAILED")
    return 1 if problems else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--rounds", type=int, default=5)
    raise SystemExit(asyncio.run(main(parser.parse_args().rounds)))
