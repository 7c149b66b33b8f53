"""A walk over every operation of the OpenAPI document: a request missing each required input, and one
with a wrong type in each input, is a 400 whose ``errors`` name that input by its public name and location.

Path parameters are not walked: a path segment that does not parse as the declared type matches no
route (404, like any unknown path), so there is no operation to name it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from service.app import create_app
from service.config import load_settings
from tests.conftest import CHEAP_ARGON2, createdb, dropdb
from tests.helpers import signup

SKIP_HEADERS = {"authorization", "if-match", "idempotency-key", "if-none-match"}  # checked by their own tests


def _resolve(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _types(doc: dict[str, Any], schema: dict[str, Any]) -> set[str]:
    schema = _resolve(doc, schema)
    if "anyOf" in schema or "oneOf" in schema:
        return set().union(*(_types(doc, s) for s in schema.get("anyOf", schema.get("oneOf", []))))
    kind = schema.get("type")
    if isinstance(kind, list):
        return set(kind)
    if kind is None and "enum" in schema:
        return {type(v).__name__.replace("str", "string") for v in schema["enum"]}
    return {kind} if kind else {"any"}


def _formats(doc: dict[str, Any], schema: dict[str, Any]) -> set[str]:
    schema = _resolve(doc, schema)
    if "anyOf" in schema:
        return set().union(*(_formats(doc, s) for s in schema["anyOf"]))
    return {schema["format"]} if "format" in schema else set()


def _wrong_parameter(doc: dict[str, Any], schema: dict[str, Any]) -> str | None:
    """A query/header value that no declared type accepts, or None (a free string accepts anything)."""
    types = _types(doc, schema)
    formats = _formats(doc, schema)
    if types & {"integer", "number", "boolean"} and "string" not in types:
        return "not-a-number"
    if formats & {"date", "date-time", "uuid"}:
        return "not-a-date-or-id"
    if "enum" in _resolve(doc, schema) or any("enum" in _resolve(doc, s) for s in schema.get("anyOf", [])):
        return "not-one-of-the-values"
    return None


def _wrong_member(doc: dict[str, Any], schema: dict[str, Any]) -> Any:
    types = _types(doc, schema)
    if "any" in types:
        return None
    if "object" in types:
        return 12345 if not types & {"integer", "number"} else "x"
    return {"not": "this type"}


def _path(template: str, parameters: list[dict[str, Any]], doc: dict[str, Any]) -> str:
    for p in parameters:
        if p["in"] == "path":
            value = "1" if _types(doc, p["schema"]) & {"integer"} else str(uuid.uuid4())
            template = template.replace("{" + p["name"] + "}", value)
    return template


def _cases(doc: dict[str, Any]) -> list[Any]:
    cases = []
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            parameters = [p for p in op.get("parameters", []) if p["name"].lower() not in SKIP_HEADERS]
            for p in parameters:
                if p["in"] not in {"query", "header"}:
                    continue
                if p.get("required"):
                    cases.append(pytest.param(method, path, op, p["in"], p["name"], "missing",
                                              id=f"{method} {path} missing {p['name']}"))
                if _wrong_parameter(doc, p["schema"]) is not None:
                    cases.append(pytest.param(method, path, op, p["in"], p["name"], "wrong",
                                              id=f"{method} {path} wrong {p['name']}"))
            body = op.get("requestBody", {}).get("content", {}).get("application/json")
            if body is None:
                continue
            schema = _resolve(doc, body["schema"])
            for name in schema.get("required", []):
                cases.append(pytest.param(method, path, op, "body", name, "missing",
                                          id=f"{method} {path} missing /{name}"))
            for name, member in schema.get("properties", {}).items():
                if _wrong_member(doc, member) is not None:
                    cases.append(pytest.param(method, path, op, "body", name, "wrong",
                                              id=f"{method} {path} wrong /{name}"))
    return cases


def _document() -> dict[str, Any]:
    settings = load_settings(environ={}, database_url="postgresql://unused@127.0.0.1:1/none")
    app = create_app(settings)
    return app.openapi_schema.to_schema()


DOCUMENT = _document()
CASES = _cases(DOCUMENT)


def test_the_walk_covers_the_api():
    assert len(CASES) >= 100, len(CASES)


@pytest.fixture(scope="module")
def walk_db(server_dsn: str, template_db: str) -> Iterator[str]:
    """One database for the whole walk: every request is refused before it writes anything."""
    name = f"walk_{os.getpid()}"
    dropdb(server_dsn, name)
    yield createdb(server_dsn, name, template=template_db)
    dropdb(server_dsn, name)


@pytest.fixture(scope="module")
async def walker(walk_db: str) -> AsyncIterator[tuple[AsyncTestClient[Any], Any]]:
    app = create_app(load_settings(environ={}, database_url=walk_db, **CHEAP_ARGON2))
    async with AsyncTestClient(app=app) as client:
        yield client, await signup(client)


@pytest.mark.parametrize("method, path, op, location, name, kind", CASES)
async def test_the_problem_names_the_input(walker, method, path, op, location, name, kind):
    client, account = walker
    url = _path(path, op.get("parameters", []), DOCUMENT)
    params: dict[str, str] = {}
    headers = dict(account.headers)
    json_body: Any = None
    if location in {"query", "header"}:
        spec = next(p for p in op["parameters"] if p["name"] == name)
        if kind == "wrong":
            (params if location == "query" else headers)[name] = _wrong_parameter(DOCUMENT, spec["schema"])
    if "requestBody" in op:
        json_body = {}
        if location == "body" and kind == "wrong":
            schema = _resolve(DOCUMENT, op["requestBody"]["content"]["application/json"]["schema"])
            json_body = {name: _wrong_member(DOCUMENT, schema["properties"][name])}
    response = await client.request(method.upper(), url, params=params, headers=headers,
                                    json=json_body if json_body is not None else None)
    assert response.status_code == 400, response.text
    body = response.json()
    pointer = f"/{name}" if location == "body" else name
    found = [e for e in body.get("errors", []) if e["location"] == location and
             (e["pointer"] == pointer or (location == "header" and e["pointer"].lower() == name.lower()))]
    assert found, body
    if kind == "missing":
        assert found[0]["code"] == "missing", body
