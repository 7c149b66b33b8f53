"""Keyset pages: ``{"items": [...], "next_cursor": "..." | null}`` with opaque cursors.

A cursor is the URL-safe base64 of the JSON array of the last row's sort
key.  Clients treat it as opaque; a cursor that does not decode into the
expected types is a 400, never a 500 and never a silent first page.
"""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any, Generic, TypeVar

import msgspec
from litestar.params import Parameter

from service.errors import input_error, invalid

T = TypeVar("T")

MAX_LIMIT = 200
Limit = Annotated[int, Parameter(ge=1, le=MAX_LIMIT, description=f"page size, 1..{MAX_LIMIT}")]
Cursor = Annotated[str | None, Parameter(max_length=512, description="next_cursor of the previous page")]


class Page(msgspec.Struct, Generic[T]):
    items: list[T]
    next_cursor: str | None


def encode_cursor(*key: Any) -> str:
    return base64.urlsafe_b64encode(msgspec.json.encode(key)).rstrip(b"=").decode()


def decode_cursor(cursor: str | None, key_type: Any, name: str = "before") -> Any:
    """The sort key a cursor carries, converted to ``key_type`` (e.g. ``tuple[datetime, int]``)."""
    if cursor is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        return msgspec.json.decode(raw, type=key_type)
    except (binascii.Error, ValueError, msgspec.DecodeError, msgspec.ValidationError):
        raise invalid("invalid cursor", input_error("query", name, f"{name} is not a cursor this list gave out",
                                                    "format")) from None


def page(items: list[T], limit: int, key: Any) -> Page[T]:
    """Build a page from up to ``limit + 1`` fetched rows; ``key(row)`` is the row's sort key tuple."""
    if len(items) > limit:
        items = items[:limit]
        return Page(items=items, next_cursor=encode_cursor(*key(items[-1])))
    return Page(items=items, next_cursor=None)
