"""Names that mean one thing (issue #18): one rule for every name field, and one case-folded key.

A name (a display name, a chat title, a category name, a pet name, a goal title) is:

- given trimmed: no leading or trailing whitespace, and not blank;
- free of control characters (C0, DEL, C1), bidirectional overrides, embeddings and isolates
  (U+202A-U+202E, U+2066-U+2069, U+061C), zero-width characters (U+200B-U+200F, U+2060-U+2065,
  U+FEFF, U+180E), the soft hyphen and the line/paragraph separators;
- stored in Unicode NFC (normalised here on the way in).

``Name(n)`` is the msgspec type (the pattern is also the OpenAPI document's); ``normalize_names``
is called by the request Structs' ``__post_init__``; the database holds the same rule as CHECKs
calling ``name_is_clean(text)`` (migration 0173).  ``name_key`` is the only place that computes
the case-insensitive identity of a name: Python's ``casefold()`` of the NFC form (so ``Straße``
and ``STRASSE`` are one name), stored beside the name with its unique index.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated, Any

from msgspec import UNSET, Meta

_FORBIDDEN = ("\\x00-\\x1f\\x7f-\\x9f\\u00ad\\u061c\\u180e\\u200b-\\u200f\\u2028\\u2029"
              "\\u202a-\\u202e\\u2060-\\u2069\\ufeff")
NAME_PATTERN = rf"^[^{_FORBIDDEN}\s]([^{_FORBIDDEN}]*[^{_FORBIDDEN}\s])?$"
"""One character that is neither forbidden nor whitespace, then any allowed ones, ending on a non-space."""


def Name(max_length: int) -> Any:
    return Annotated[str, Meta(min_length=1, max_length=max_length, pattern=NAME_PATTERN,
                               description=f"1-{max_length} characters, trimmed; no control, bidi-override "
                                           "or zero-width characters; stored in Unicode NFC")]


def normalize_names(struct: Any, *fields: str) -> None:
    """NFC-normalise the named string fields of a decoded request Struct in place."""
    for field in fields:
        value = getattr(struct, field)
        if isinstance(value, str) and value is not UNSET:
            normal = unicodedata.normalize("NFC", value)
            if normal != value:
                setattr(struct, field, normal)


def name_key(name: str) -> str:
    """The case-insensitive identity of a name: ``casefold()`` of its NFC form (computed only here)."""
    return unicodedata.normalize("NFC", name).casefold()
