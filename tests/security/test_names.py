"""Names that mean one thing (issue #18): one rule for every name field, in the API and in the schema.

Every name field (display name, chat title, category name, pet name) refuses whitespace-only
names, control, bidi-override and zero-width characters with a 400 naming the field, and is
stored in NFC; the database refuses the same with the CHECKs of migration 0173.
"""

from __future__ import annotations

from typing import Any

import asyncpg
import pytest

from tests.helpers import assert_problem, signup

BAD_NAMES = {
    "only a bidi override": "\u202e",
    "only whitespace": "   ",
    "leading space": " a",
    "zero-width space inside": "a\u200bb",
    "zero-width joiner": "\u200d",
    "control character": "a\u0007b",
    "newline": "a\nb",
    "right-to-left isolate": "abc\u2067def",
    "byte-order mark": "\ufeffabc",
}
DECOMPOSED, COMPOSED = "Cafe\u0301", "Caf\u00e9"


async def write_name(client: Any, account: Any, field: str, value: str) -> Any:
    """(response, the stored name as the API returns it) for one name field."""
    if field == "display_name":
        return await client.patch("/me", headers=account.headers, json={"display_name": value})
    if field == "chat title":
        return await client.post("/chats", headers=account.headers, json={"kind": "solo", "title": value})
    if field == "category name":
        return await client.post("/categories", headers=account.headers, json={"name": value})
    return await client.post("/pets", headers=account.headers, json={"name": value})


def stored(field: str, body: dict[str, Any]) -> str:
    return str(body["display_name" if field == "display_name" else "title" if field == "chat title" else "name"])


FIELDS = ["display_name", "chat title", "category name", "pet name"]


@pytest.mark.parametrize("field", FIELDS)
async def test_every_name_field_refuses_what_would_mean_two_things_and_stores_nfc(client: Any, field: str) -> None:
    account = await signup(client)
    for label, value in BAD_NAMES.items():
        body = assert_problem(await write_name(client, account, field, value), 400)
        assert "errors" in body or "name" in body["detail"] or "title" in body["detail"], (label, body)
    response = await write_name(client, account, field, DECOMPOSED)
    assert response.status_code in (200, 201), response.text
    assert stored(field, response.json()) == COMPOSED


@pytest.mark.parametrize(("table", "column"), [("users", "display_name"), ("chats", "title"),
                                               ("categories", "name"), ("pets", "name")])
async def test_the_schema_holds_the_same_rule(client: Any, conn: Any, table: str, column: str) -> None:
    account = await signup(client)
    for field in FIELDS:  # one row in every table
        assert (await write_name(client, account, field, "Fine")).status_code in (200, 201)
    for value in ("\u202e", "  ", " a", "a\u200bb", DECOMPOSED):
        assert await conn.fetchval("SELECT name_is_clean($1)", value) is False, value
    assert await conn.fetchval("SELECT name_is_clean($1)", COMPOSED) is True
    row = await conn.fetchrow(f"SELECT ctid FROM {table} LIMIT 1")  # noqa: S608 - a fixed table name
    with pytest.raises(asyncpg.CheckViolationError):
        await conn.execute(f"UPDATE {table} SET {column} = $1 WHERE ctid = $2", "\u202e", row["ctid"])  # noqa: S608


async def test_case_insensitive_uniqueness_holds_for_unicode(client: Any, conn: Any) -> None:
    """``Straße`` and ``STRASSE`` are one category name (casefold, not lower); so are NFC twins."""
    account = await signup(client)
    first = await client.post("/categories", headers=account.headers, json={"name": "Straße"})
    assert first.status_code == 201, first.text
    for twin in ("STRASSE", "strasse", "STRAẞE"):
        body = assert_problem(await client.post("/categories", headers=account.headers, json={"name": twin}), 409)
        assert "already have a category" in body["detail"], body
    # renaming another category onto the same folded name is refused too
    other = (await client.post("/categories", headers=account.headers, json={"name": "Cafe"})).json()
    assert_problem(await client.patch(f"/categories/{other['id']}", headers=account.headers,
                                      json={"name": "STRASSE"}), 409)
    assert (await client.post("/categories", headers=account.headers, json={"name": DECOMPOSED})).status_code == 201
    assert_problem(await client.post("/categories", headers=account.headers, json={"name": "CAFÉ"}), 409)
    keys = await conn.fetch("SELECT name, name_key FROM categories WHERE user_id = $1::uuid AND NOT is_default "
                            "ORDER BY name", account.id)
    assert [(r["name"], r["name_key"]) for r in keys] == [("Cafe", "cafe"), (COMPOSED, "café"),
                                                          ("Straße", "strasse")]
    # default categories got their keys too: a user cannot add a second "FOOD"
    assert_problem(await client.post("/categories", headers=account.headers, json={"name": "FOOD"}), 409)
