"""PATCH bodies: an omitted field (``UNSET``) keeps its value, ``null`` clears it.

SQL files take each patchable column as a (flag, value) pair,
``col = CASE WHEN $flag THEN $value ELSE col END``; ``given`` makes the pair.
"""

from __future__ import annotations

from typing import Any

from msgspec import UNSET


def given(value: Any) -> tuple[bool, Any]:
    """(True, value) for a field the client sent, (False, None) for an omitted one."""
    return (False, None) if value is UNSET else (True, value)
