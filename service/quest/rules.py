"""How an event changes a pet: the game's rules, in one place (documented in the README).

- ``commits`` (a GitHub push; value = distinct commits): +10 xp, +3 hunger and
  -2 energy per commit (coding is tiring and makes you hungry).
- ``steps`` (a Fitbit activity; value = steps): +1 energy per 500 steps and
  +1 xp per 1000 steps (a walk restores the pet).
- level = 1 + xp // 100, recomputed with xp.
- Between events (issue #16, migration 0185): hunger rises by ``HUNGER_PER_HOUR`` (2) and
  energy recovers by ``ENERGY_PER_HOUR`` (4) an hour, in whole points, computed when a pet is
  read (SQL functions ``pet_hunger_now`` / ``pet_energy_now``; no job writes every pet), clamped
  to 0..100.  An event or a PATCH of a gauge starts from the values "now".

The SQL clamps energy and hunger to 0..100 and xp to >= 0, the CHECK bounds,
so one huge event never blocks processing.  Deltas are capped here too, so
the arithmetic stays far inside the column types.

The effect of deliveries is bounded (issue #18): one delivery changes energy
and hunger by at most ``GAUGE`` (100) each and grants at most
``MAX_XP_PER_DELIVERY`` xp; an account's pets get at most ``MAX_XP_PER_DAY``
xp per UTC day (``quest_daily_xp``).  What a cap holds back is recorded in
``quest_daily_xp.xp_withheld``, never applied later.
"""

from __future__ import annotations

from typing import NamedTuple

XP_PER_COMMIT = 10
HUNGER_PER_COMMIT = 3
ENERGY_PER_COMMIT = -2
STEPS_PER_ENERGY = 500
STEPS_PER_XP = 1000
XP_PER_LEVEL = 100  # mirrored in sql/quest/apply_event_to_pets.sql
GAUGE = 100
MAX_XP_PER_DELIVERY = 200  # 20 commits or 200,000 steps: two levels
MAX_XP_PER_DAY = 500  # five levels per account per UTC day
DAILY_XP_RETENTION_DAYS = 35
HUNGER_PER_HOUR = 2  # mirrored in migrations/0185_add_pet_gauges_at.sql
ENERGY_PER_HOUR = 4  # mirrored in migrations/0185_add_pet_gauges_at.sql


class Deltas(NamedTuple):
    xp: int
    energy: int
    hunger: int


def _gauge(delta: int) -> int:
    return max(-GAUGE, min(GAUGE, delta))


def deltas(kind: str, value: int) -> Deltas:
    if kind == "commits":
        return Deltas(xp=XP_PER_COMMIT * value, energy=_gauge(ENERGY_PER_COMMIT * value),
                      hunger=_gauge(HUNGER_PER_COMMIT * value))
    if kind == "steps":
        return Deltas(xp=value // STEPS_PER_XP, energy=_gauge(value // STEPS_PER_ENERGY), hunger=0)
    raise ValueError(f"no rule for event kind {kind!r}")


def cap_delivery(change: Deltas) -> tuple[Deltas, int]:
    """The deltas one delivery may apply, and the xp the per-delivery cap withholds."""
    xp = min(change.xp, MAX_XP_PER_DELIVERY)
    return change._replace(xp=xp), change.xp - xp


def level_for(xp: int) -> int:
    return 1 + xp // XP_PER_LEVEL
