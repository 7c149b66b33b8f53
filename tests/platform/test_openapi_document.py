"""The OpenAPI document as client generators read it: valid, named, tagged, every shape explicit."""

from __future__ import annotations

import re
from typing import Any

import pytest
from openapi_spec_validator import OpenAPIV31SpecValidator

from service.app import create_app
from service.config import load_settings
from service.http.openapi import OPERATION_ID

METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    app = create_app(load_settings(environ={}, database_url="postgresql://unused@127.0.0.1:1/none"))
    return app.openapi_schema.to_schema()  # type: ignore[no-any-return]


def operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(m, p, op) for p, item in doc["paths"].items() for m, op in item.items() if m in METHODS]


def nodes(node: Any, path: str = "#") -> Any:
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from nodes(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from nodes(value, f"{path}/{index}")


def test_openapi_spec_validator_finds_no_error(document):
    errors = [e.message for e in OpenAPIV31SpecValidator(document).iter_errors()]
    assert errors == []


def test_security_schemes_are_a_bearer_jwt_and_a_valid_password_flow(document):
    schemes = document["components"]["securitySchemes"]
    assert schemes["BearerToken"] == {**schemes["BearerToken"], "type": "http", "scheme": "bearer",
                                      "bearerFormat": "JWT"}
    assert schemes["OAuth2Password"]["flows"]["password"] == {"tokenUrl": "/auth/token", "scopes": {}}


def test_operation_ids_are_unique_snake_case_verb_noun(document):
    ids = [op["operationId"] for _, _, op in operations(document)]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert [i for i in ids if not re.match(OPERATION_ID, i)] == []
    assert "create_chat_message" in ids and "list_tasks" in ids


def test_every_operation_has_a_summary_a_description_and_a_declared_tag(document):
    declared = {t["name"]: t.get("description") for t in document["tags"]}
    assert all(declared.values()), declared
    for method, path, op in operations(document):
        assert op.get("summary") and op.get("description"), (method, path)
        assert len(op["tags"]) == 1 and op["tags"][0] in declared, (method, path, op["tags"])
    assert "quest" not in declared


def test_schemas_are_explicit(document):
    for where, node in nodes(document):
        kinds = node.get("type") if isinstance(node.get("type"), list) else [node.get("type")]
        if "array" in kinds:
            assert "items" in node, where
        if "object" in kinds:
            assert "properties" in node or "additionalProperties" in node, where
        assert not ("oneOf" in node and {"type": "null"} in node["oneOf"]), where  # nullable is anyOf
    names = document["components"]["schemas"]
    assert "MessagePage" in names and not [n for n in names if not re.fullmatch(r"[A-Z][A-Za-z0-9]*", n)]
    message = names["MessageCreate"]["properties"]
    assert message["role"]["$ref"] == "#/components/schemas/MessageRole"
    assert names["Message"]["properties"]["role"]["$ref"] == "#/components/schemas/MessageRole"
    assert "default" not in message["thinking"] and "thinking" not in names["MessageCreate"]["required"]


def test_problem_responses_and_headers_are_declared(document):
    for method, path, op in operations(document):
        responses = op["responses"]
        assert "default" in responses, (method, path)
        for code, response in responses.items():
            if (code.isdigit() and int(code) >= 400) or code == "default":
                schema = response["content"]["application/problem+json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ProblemDetails"}, (method, path, code)
    task = document["paths"]["/tasks/{task_id}"]
    assert "ETag" in task["get"]["responses"]["200"]["headers"] and "304" in task["get"]["responses"]
    assert "ETag" in task["patch"]["responses"]["412"]["headers"]
    assert "Idempotent-Replayed" in document["paths"]["/tasks"]["post"]["responses"]["201"]["headers"]
    assert "Retry-After" in document["paths"]["/auth/login"]["post"]["responses"]["429"]["headers"]
    error = document["components"]["schemas"]["ProblemError"]
    assert error["required"] == ["location", "pointer", "message", "code"]
