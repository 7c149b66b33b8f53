"""Size bounds of jsonb columns, measured by the API the way the database's CHECK measures them.

Every jsonb column has a CHECK ``pg_column_size(col) <= N`` (migrations 0132/0133). At
INSERT/UPDATE time ``pg_column_size`` is the size of the value's uncompressed jsonb binary
(compression happens later, when the row is stored), so an API bound on the JSON *text*
would not agree with it: ``[0,0,0]`` takes about 4x more bytes as jsonb than as text, a long
string about 1x.  ``jsonb_size(value)`` is instead an upper bound of that binary size,
computed from jsonb's layout (PostgreSQL's ``src/include/utils/jsonb.h``):

- the whole value: a 4-byte varlena header and a 4-byte container header;
- each array element and each object key and value: a 4-byte JEntry;
- a string or key: its UTF-8 bytes;
- a number: a numeric (4-byte varlena header + at most 4 bytes of header + 2 bytes per base-10000
  digit, counted generously from its decimal text) after up to 3 bytes of alignment;
- a nested array or object: up to 3 bytes of alignment + its 4-byte header + its contents;
- true, false, null: the JEntry only.

The API refuses a value whose bound exceeds the column's limit (400 naming the field), so
everything it accepts passes the CHECK (``tests/platform/test_json_bounds.py`` checks both
edges against PostgreSQL); the CHECK stays the guarantee for any other writer.
"""

from __future__ import annotations

from typing import Any

import msgspec

# Column limits in bytes of jsonb (the CHECKs of migration 0132 use the same numbers).
PREFERENCES_MAX = 16_384
THINKING_MAX = 65_536
THINKING_ITEM_MAX = 8_192
DRAWER_DATA_MAX = 65_536
TRAITS_MAX = 16_384
PERMISSIONS_MAX = 24_576
PAYLOAD_MAX = 262_144
METADATA_MAX = 16_384
AUDIT_DETAILS_MAX = 4_096


def _numeric(value: int | float) -> int:
    digits = len(repr(value).lstrip("-").replace(".", "").split("e")[0].split("E")[0])
    return 3 + 4 + 4 + 2 * (digits // 4 + 2)


def _size(value: Any) -> int:
    """Bytes of ``value`` inside its parent container, JEntry included."""
    if isinstance(value, str):
        return 4 + len(value.encode("utf-8"))
    if value is None or isinstance(value, bool):
        return 4
    if isinstance(value, (int, float)):
        return 4 + _numeric(value)
    if isinstance(value, dict):
        return 4 + 3 + 4 + sum(4 + len(str(k).encode("utf-8")) + _size(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return 4 + 3 + 4 + sum(_size(v) for v in value)
    # anything else msgspec can encode (dates, UUIDs, Structs): measure its JSON form
    return _size(msgspec.json.decode(msgspec.json.encode(value)))


def jsonb_size(value: Any) -> int:
    """An upper bound of ``pg_column_size(value::jsonb)`` before compression (see the module docstring)."""
    return 4 + 4 + _size(value) - (4 + 3 + 4) if isinstance(value, (dict, list, tuple)) else 4 + 4 + _size(value)


def check(field: str, value: Any, limit: int) -> None:
    """ValueError naming ``field`` when ``value`` would take more than ``limit`` bytes as jsonb.

    Raised from a request Struct's ``__post_init__``, msgspec turns it into the 400 problem."""
    if value is None:
        return
    size = jsonb_size(value)
    if size > limit:
        raise ValueError(f"{field} is too large: {size} bytes as stored (jsonb), at most {limit}")
