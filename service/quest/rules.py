"""How an event changes a pet: the game's rules, in one place (documented in the README).

- ``commits`` (a GitHub push; value = distinct commits): +10 xp, +3 hunger and
  -2 energy per commit (coding is tiring and makes you hungry).
- ``steps`` (a Fitbit activity; value = steps): +1 energy per 500 steps and
  +1 xp per 1000 steps (a walk restores the pet).
- level = 1 + xp // 100, recomputed with xp.
- Between events (issue #16, migration 0155): hunger rises by ``HUNGER_PER_HOUR`` (2) and
  energy recovers by ``ENERGY_PER_HOUR`` (4) an hour, in whole points, computed when a pet is
  read (SQL functions ``pet_hunger_now`` / ``pet_energy_now``; no job writes every pet), clamped
  to 0..100.  An event or a PATCH of a gauge starts from the values "now".

The SQL clamps energy and hunger to 0..100 and xp to >= 0, the CHECK bounds,
so one huge event never blocks processing.  Deltas are capped here too, so
the arithmetic stays far inside the column types.
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
HUNGER_PER_HOUR = 2  # mirrored in migrations/0155_add_pet_gauges_at.sql
ENERGY_PER_HOUR = 4  # mirrored in migrations/0155_add_pet_gauges_at.sql


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


def level_for(xp: int) -> int:
    return 1 + xp // XP_PER_LEVEL
