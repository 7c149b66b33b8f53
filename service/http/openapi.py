r"""The OpenAPI document, corrected in one place so generated clients validate as the service does.

Litestar builds the document from the handlers; three things it gets wrong
for this service are fixed here, for every route at once (a route added
later is covered without anyone remembering):

- **Request bodies** come from msgspec's own JSON Schema of the body Struct,
  the same types that validate the request: Litestar drops bounds equal to
  zero (``ge=0``, ``gt=0``), constraints on list items (``list[Tag]``),
  ``max_props`` and ``forbid_unknown_fields`` (``additionalProperties: false``).
- **Parameters** get their bounds from the handler's ``Parameter(...)`` as
  exact integers (Litestar writes floats: ``2**63 - 1`` became ``2**63``).
- **Problem responses**: every error is ``application/problem+json``
  (``ProblemDetails``), documented by rules: 400 when there is input, 401 on
  protected routes, 404 with a path parameter, 409/422 on protected writes,
  412 (and the ``If-Match`` header) on single-resource writes, 413 with a
  body, 503 wherever the database is used, plus a handler's own
  ``opt={"problems": (...)}`` (e.g. 403 for chat roles, 429 on login).
  Protected POSTs document ``Idempotency-Key``; public routes say
  ``security: []``.
- **Patterns** say ``\s``, ``\S`` and ``.`` the way Python (msgspec) means them, spelled out for
  ECMA-262 engines.
"""

from __future__ import annotations

import dataclasses
import typing
from typing import Any

import msgspec
from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import OpenAPI
from litestar.params import ParameterKwarg
from litestar.routes import HTTPRoute

from service.http.problems import PROBLEM_JSON

REF = "#/components/schemas/{name}"

APP_SCOPES = {"chat:assistant": "post role assistant messages to any chat (the app's AI replies)"}
"""The client-credentials flow's scopes (service.apps.models.KNOWN_SCOPES, described)."""
PROBLEM_REF = {"$ref": REF.format(name="ProblemDetails")}
PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "ProblemDetails",
    "description": "RFC 9457 problem document; some problems add members (errors, constraint, row, ...)",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "object"}},
    },
    "additionalProperties": True,
}
DESCRIPTIONS = {
    400: "Malformed input (problem: validation-error lists the fields)",
    401: "Missing, expired or invalid credentials",
    403: "The caller's role does not allow this",
    404: "No such resource for this caller (another user's is the same 404)",
    409: "Conflicts with the current state (duplicate, still referenced, request in flight)",
    412: "If-Match does not match the current version",
    413: "Request body too large",
    422: "Well-formed but refused by a rule (constraint, foreign reference, reused Idempotency-Key)",
    429: "Too many attempts; see Retry-After",
    503: "Database unavailable or too slow; retry",
}
_WRITES = {"POST", "PUT", "PATCH", "DELETE"}
_BOUNDS = (("ge", "minimum"), ("le", "maximum"), ("gt", "exclusiveMinimum"), ("lt", "exclusiveMaximum"),
           ("min_length", "minLength"), ("max_length", "maxLength"))
_IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key", "in": "header", "required": False,
    "description": "retry-safe create: the same key and body replay the first response",
    "schema": {"type": "string", "maxLength": 255, "pattern": r"\S"},
}
_IF_MATCH = {
    "name": "If-Match", "in": "header", "required": False,
    "description": ("ETag(s) of the version this write is based on (RFC 9110 entity tags, or *): "
                    "stale: 412; empty or malformed: 400; weak tags never match"),
    "schema": {"type": "string", "pattern": '^(\\*|(W/)?"[!#-~]*"( *, *(W/)?"[!#-~]*")*)$'},
}


# Python's ``\s`` (what msgspec's patterns use) is not ECMA-262's: it also matches U+001C..U+001F
# and U+0085, and not U+FEFF.  Patterns in the document spell the Python class out.
_PY_SPACE = "\\t\\n\\x0b\\x0c\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"


def ecma_pattern(pattern: str) -> str:
    """``pattern`` with ``\\s`` / ``\\S`` replaced by explicit classes, so an ECMA-262 engine agrees with Python."""
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            escape = pattern[i + 1]
            if escape == "s":
                out.append(_PY_SPACE if in_class else f"[{_PY_SPACE}]")
            elif escape == "S" and not in_class:
                out.append(f"[^{_PY_SPACE}]")
            elif escape == "S":
                raise ValueError(f"\\S inside a character class cannot be translated: {pattern}")
            else:
                out.append(pattern[i:i + 2])
            i += 2
            continue
        if char == "." and not in_class:
            out.append("[^\\n]")  # Python's dot; ECMA-262's also refuses \r, U+2028 and U+2029
            i += 1
            continue
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class:
            in_class = False
        out.append(char)
        i += 1
    return "".join(out)


def _translate_patterns(node: Any) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                node[key] = ecma_pattern(value)
            else:
                _translate_patterns(value)
    elif isinstance(node, list):
        for item in node:
            _translate_patterns(item)


def problems(*statuses: int) -> dict[str, Any]:
    """``opt`` for a handler with problem statuses beyond the rules above (merge into its opt)."""
    return {"problems": tuple(statuses)}


@dataclasses.dataclass
class ServiceOpenAPIConfig(OpenAPIConfig):
    """``OpenAPIConfig`` whose document is refined once it is built; ``bind(app)`` after creating the app."""

    app: Litestar | None = dataclasses.field(default=None, repr=False)

    def bind(self, app: Litestar) -> None:
        self.app = app

    def to_openapi_schema(self) -> OpenAPI:
        base = super().to_openapi_schema()
        refined = _RefinedOpenAPI(**{f.name: getattr(base, f.name) for f in dataclasses.fields(base)})
        refined._config = self
        return refined


@dataclasses.dataclass
class _RefinedOpenAPI(OpenAPI):
    _config: ServiceOpenAPIConfig | None = dataclasses.field(default=None, repr=False, compare=False)

    @property
    def _exclude_fields(self) -> set[str]:  # litestar's BaseSchemaObject hook: keep _config out of the document
        return {"_config"}

    def to_schema(self) -> dict[str, Any]:
        doc = super().to_schema()
        if self._config is not None and self._config.app is not None:
            refine(doc, route_table(self._config.app))
        return doc


def route_table(app: Litestar) -> dict[tuple[str, str], HTTPRouteHandler]:
    """(METHOD, path template) -> handler, for every documented operation."""
    table: dict[tuple[str, str], HTTPRouteHandler] = {}
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if not handler.resolve_include_in_schema():
                continue
            for method in handler.http_methods - {"OPTIONS", "HEAD"}:
                table[(method, route.path_format)] = handler
    return table


def is_public(handler: HTTPRouteHandler) -> bool:
    return bool(handler.opt.get("exclude_from_auth"))


def is_single_resource(path: str, handler: HTTPRouteHandler) -> bool:
    """The routes ``service.http.etag`` serves (ETag on GET, If-Match on writes)."""
    return path.endswith("}") or bool(handler.opt.get("etag"))


def refine(doc: dict[str, Any], table: dict[tuple[str, str], HTTPRouteHandler]) -> None:
    components = doc.setdefault("components", {}).setdefault("schemas", {})
    components["ProblemDetails"] = PROBLEM_SCHEMA
    owners: dict[str, type] = {}
    for path, item in doc.get("paths", {}).items():
        for method, operation in item.items():
            handler = table.get((method.upper(), path))
            if handler is None or not isinstance(operation, dict):
                continue
            _refine_parameters(operation, handler)
            _declared_body(operation, handler, components)
            _refine_body(operation, handler, components, owners)
            _refine_responses(operation, method.upper(), path, handler)
    add_client_credentials_flow(doc, APP_SCOPES)
    _translate_patterns(doc)


def _declared_body(operation: dict[str, Any], handler: HTTPRouteHandler, components: dict[str, Any]) -> None:
    """A body the handler parses itself (``opt["request_body"] = (Struct, media types)``), e.g. /auth/token's
    form-or-JSON grant request."""
    declared = handler.opt.get("request_body")
    if declared is None:
        return
    body_type, media_types = declared
    (schema,), definitions = msgspec.json.schema_components([body_type], ref_template=REF)
    components.update(definitions)
    operation["requestBody"] = {"required": True, "content": {media: {"schema": schema} for media in media_types}}


def add_client_credentials_flow(doc: dict[str, Any], scopes: dict[str, str]) -> None:
    """The OAuth2 security scheme gets the client-credentials flow (app clients) beside the password flow."""
    for scheme in doc.get("components", {}).get("securitySchemes", {}).values():
        flows = scheme.get("flows") if isinstance(scheme, dict) else None
        if isinstance(flows, dict) and "password" in flows:
            flows["password"].setdefault("scopes", {})  # required by the OpenAPI flow object; users have none
            scheme["description"] = (scheme.get("description", "") + ". An app client's token (client-credentials "
                                     "grant at /auth/token) carries its scopes; it may only post role assistant "
                                     "messages (scope chat:assistant), every other route answers it 403")
            flows["clientCredentials"] = {"tokenUrl": flows["password"].get("tokenUrl", "/auth/token"),
                                          "scopes": dict(scopes)}


def _refine_parameters(operation: dict[str, Any], handler: HTTPRouteHandler) -> None:
    by_name: dict[str, ParameterKwarg] = {}
    for name, field in handler.parsed_fn_signature.parameters.items():
        kwarg = field.kwarg_definition
        if isinstance(kwarg, ParameterKwarg):
            by_name[kwarg.query or kwarg.header or kwarg.cookie or name] = kwarg
    for parameter in operation.get("parameters", []):
        kwarg = by_name.get(parameter["name"])
        if kwarg is None:
            continue
        for attribute, keyword in _BOUNDS:
            value = getattr(kwarg, attribute)
            if value is not None:
                parameter["schema"][keyword] = value


def _body_type(handler: HTTPRouteHandler) -> type | None:
    field = handler.parsed_fn_signature.parameters.get("data")
    if field is None:
        return None
    annotation = field.annotation
    if isinstance(annotation, type) and issubclass(annotation, msgspec.Struct):
        return annotation
    return None


def _refine_body(operation: dict[str, Any], handler: HTTPRouteHandler, components: dict[str, Any],
                 owners: dict[str, type]) -> None:
    body_type = _body_type(handler)
    content = operation.get("requestBody", {}).get("content", {})
    if body_type is None or "application/json" not in content:
        return
    (schema,), definitions = msgspec.json.schema_components([body_type], ref_template=REF)
    for name, definition in definitions.items():
        owner = next((t for t in _struct_types(body_type) if t.__name__ == name), None)
        if owners.setdefault(name, owner or body_type) is not (owner or body_type):
            raise RuntimeError(f"two request types are both named {name}: rename one")
        components[name] = definition
    content["application/json"]["schema"] = schema


def _struct_types(root: type) -> list[type]:
    """``root`` and the Struct types its fields name (for the component-name clash check)."""
    seen: list[type] = []
    stack = [root]
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.append(current)
        types = [field.type for field in msgspec.structs.fields(current)]
        while types:
            candidate = types.pop()
            types.extend(typing.get_args(candidate))
            if isinstance(candidate, type) and issubclass(candidate, msgspec.Struct):
                stack.append(candidate)
    return seen


def _refine_responses(operation: dict[str, Any], method: str, path: str, handler: HTTPRouteHandler) -> None:
    public = is_public(handler)
    params = operation.setdefault("parameters", [])
    has_body = "requestBody" in operation
    statuses: set[int] = set(handler.opt.get("problems", ()))
    if public:
        operation["security"] = []
    else:
        statuses.add(401)
        if method in _WRITES:
            statuses |= {409, 422}
        if method == "POST":
            params.append(dict(_IDEMPOTENCY_KEY))
        if method in _WRITES and is_single_resource(path, handler):
            statuses.add(412)
            params.append(dict(_IF_MATCH))
    if params or has_body:
        statuses.add(400)
    if any(p.get("in") == "path" for p in params):
        statuses.add(404)
    if has_body:
        statuses.add(413)
    uses_database = not public or bool({"conn", "state"} & set(handler.parsed_fn_signature.parameters))
    if uses_database:
        statuses.add(503)
    if not params:
        operation.pop("parameters")
    responses = operation.setdefault("responses", {})
    for code in list(responses):
        if code.isdigit() and int(code) >= 400:
            statuses.add(int(code))
            del responses[code]
    for status in sorted(statuses):
        response: dict[str, Any] = {
            "description": DESCRIPTIONS.get(status, "Problem"),
            "content": {PROBLEM_JSON: {"schema": PROBLEM_REF}},
        }
        if status == 429:
            response["headers"] = {"Retry-After": {"schema": {"type": "integer"}, "description": "seconds"}}
        responses[str(status)] = response
