"""Response conformance: every response a test receives through Litestar's test clients is checked
against the OpenAPI document (status declared, content type, body schema, ETag where declared).

``tests/conftest.py`` installs ``check`` as a hook on ``AsyncTestClient.send`` and ``TestClient.send``
for the whole run, so every HTTP test is also a conformance test.  A response the service sends and
the document does not declare fails the test that received it.  Not checked: routes the document
leaves out (``/schema``, ``/metrics``, test-only routes) and streamed responses.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import httpx
from openapi_schema_validator import OAS31Validator

from service.app import create_app
from service.config import load_settings

VALIDATED = {"responses": 0, "skipped": 0}
UNDECLARED_OK = {404, 405}  # unknown routes and methods: the document's `default` problem response


@cache
def document() -> dict[str, Any]:
    app = create_app(load_settings(environ={}, database_url="postgresql://unused@127.0.0.1:1/none"))
    return app.openapi_schema.to_schema()  # type: ignore[no-any-return]


@cache
def _routes() -> list[tuple[re.Pattern[str], str, dict[str, Any]]]:
    routes = []
    for path, item in document()["paths"].items():
        pattern = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "$")
        routes.append((pattern, path, item))
    # literal segments win over parameters (/expenses/import before /expenses/{expense_id})
    routes.sort(key=lambda r: r[1].count("{"))
    return routes


def _operation(method: str, path: str) -> tuple[str, dict[str, Any]] | None:
    for pattern, template, item in _routes():
        if pattern.match(path):
            operation = item.get(method.lower())
            return (template, operation) if operation else None
    return None


def _validator(schema: dict[str, Any]) -> OAS31Validator:
    return OAS31Validator({**schema, "components": document()["components"]})


def problems_of(response: httpx.Response) -> list[str]:
    """What is wrong with ``response`` against the document ([] when it conforms or is not covered)."""
    request = response.request
    if request.url.path.startswith("/schema") or response.status_code >= 500:
        VALIDATED["skipped"] += 1
        return []
    found = _operation(request.method, request.url.path)
    if found is None:
        VALIDATED["skipped"] += 1
        return []
    template, operation = found
    where = f"{request.method} {template} -> {response.status_code}"
    VALIDATED["responses"] += 1
    declared = operation["responses"].get(str(response.status_code))
    if declared is None and response.status_code >= 400 and response.status_code in UNDECLARED_OK:
        declared = operation["responses"].get("default")
    if declared is None:
        return [f"{where}: status not declared (declared: {sorted(operation['responses'])})"]
    content = declared.get("content")
    body = response.content
    if not content:
        return [f"{where}: a body where none is declared"] if body else []
    media = response.headers.get("content-type", "").split(";")[0].strip()
    if media not in content:
        return [f"{where}: content type {media!r}, declared {sorted(content)}"]
    schema = content[media].get("schema")
    if schema is None or not media.endswith("json"):
        return []
    errors = sorted(_validator(schema).iter_errors(response.json()), key=lambda e: list(e.path))
    found_errors = [f"{where}: body {'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in errors[:5]]
    headers = declared.get("headers", {})
    if "ETag" in headers and response.status_code in (200, 304) and "etag" not in response.headers \
            and request.method == "GET":
        found_errors.append(f"{where}: declared ETag header missing")
    return found_errors


def check(response: httpx.Response) -> None:
    wrong = problems_of(response)
    assert not wrong, "response does not conform to the OpenAPI document:\n" + "\n".join(wrong)
