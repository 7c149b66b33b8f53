"""Scripted fault: PostgreSQL restarts while the service is under load.

    .venv/bin/python -m tests.faults.db_restart [--seconds 24] [--clients 16]

Load (reads and writes on /tasks) runs for the whole time; PostgreSQL is
stopped at one third and started again (same port) at two thirds.  The
script prints, per second, how many requests got which status and the
slowest answer, and fails (exit 1) when a request hung longer than the
pool timeout allows, when anything but 2xx/503 came back, or when the
service did not recover on its own (no 2xx after the restart).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import time

import httpx

from tests.faults.harness import Rig, account

POOL_TIMEOUT = 2.0


async def main(seconds: float, clients: int) -> int:
    rig = Rig(DB_POOL_TIMEOUT=str(POOL_TIMEOUT), DB_STATEMENT_TIMEOUT_MS="2000")
    try:
        rig.start_service()
        async with httpx.AsyncClient(base_url=rig.base, timeout=30) as http:
            headers = [await account(http, f"load{i}@example.com") for i in range(clients)]
            started = time.monotonic()
            by_second: dict[int, collections.Counter[str]] = collections.defaultdict(collections.Counter)
            slowest: dict[int, float] = collections.defaultdict(float)

            async def worker(i: int) -> None:
                n = 0
                while (now := time.monotonic()) - started < seconds:
                    n += 1
                    t0 = time.monotonic()
                    try:
                        if n % 5 == 0:
                            r = await http.post("/tasks", headers=headers[i], json={"title": f"t{n}"})
                        else:
                            r = await http.get("/tasks", headers=headers[i], params={"limit": 20})
                        outcome = str(r.status_code)
                    except httpx.TransportError as exc:
                        outcome = type(exc).__name__
                    second = int(t0 - started)
                    by_second[second][outcome] += 1
                    slowest[second] = max(slowest[second], time.monotonic() - t0)
                    if outcome != "200" and outcome != "201":
                        await asyncio.sleep(0.05)
                    del now

            async def fault() -> None:
                await asyncio.sleep(seconds / 3)
                await asyncio.to_thread(rig.pg.stop)
                print(f"[{time.monotonic() - started:5.1f}s] PostgreSQL stopped")
                await asyncio.sleep(seconds / 3)
                await asyncio.to_thread(rig.pg.start, rig.pg.port)
                print(f"[{time.monotonic() - started:5.1f}s] PostgreSQL started again")

            await asyncio.gather(fault(), *[worker(i) for i in range(clients)])
    finally:
        rig.close()

    print("second  outcomes                                   slowest")
    for second in sorted(by_second):
        outcomes = ", ".join(f"{k}: {v}" for k, v in sorted(by_second[second].items()))
        print(f"{second:6d}  {outcomes:42s} {slowest[second] * 1000:7.0f} ms")
    every = sum(by_second.values(), collections.Counter())
    after_restart = sum((by_second[s] for s in by_second if s > 2 * seconds / 3 + 2), collections.Counter())
    worst = max(slowest.values())
    print(f"total: {dict(every)}; slowest answer {worst * 1000:.0f} ms")
    failures = []
    if set(every) - {"200", "201", "503"}:
        failures.append(f"unexpected outcomes: {set(every) - {'200', '201', '503'}}")
    if worst > POOL_TIMEOUT + 3:
        failures.append(f"a request took {worst:.1f} s (pool timeout {POOL_TIMEOUT} s)")
    if after_restart["200"] + after_restart["201"] == 0:
        failures.append("no successful request after the restart: the service did not recover")
    for failure in failures:
        print("FAIL:", failure)
    print("PASS" if not failures else "FAILED")
    return 1 if failures else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--seconds", type=float, default=24)
    parser.add_argument("--clients", type=int, default=16)
    arguments = parser.parse_args()
    raise SystemExit(asyncio.run(main(arguments.seconds, arguments.clients)))
