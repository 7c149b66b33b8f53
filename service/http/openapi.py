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
import re
import typing
from typing import Any

import msgspec
from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import OpenAPI
from litestar.params import ParameterKwarg
from litestar.routes import HTTPRoute

from service.errors import ERROR_CODES, LOCATIONS
from service.http.problems import PROBLEM_JSON

REF = "#/components/schemas/{name}"

APP_SCOPES = {"chat:assistant": "post role assistant messages to any chat (the app's AI replies)"}
"""The client-credentials flow's scopes (service.apps.models.KNOWN_SCOPES, described)."""
PROBLEM_REF = {"$ref": REF.format(name="ProblemDetails")}
PROBLEM_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "ProblemError",
    "description": "One offending input of a validation problem",
    "required": ["location", "pointer", "message", "code"],
    "properties": {
        "location": {"$ref": REF.format(name="ProblemErrorLocation")},
        "pointer": {"type": "string", "description": "the parameter's public name, or an RFC 6901 pointer into "
                                                     "the body (empty: the whole body)"},
        "message": {"type": "string", "description": "one sentence for a person"},
        "code": {"$ref": REF.format(name="ProblemErrorCode")},
    },
    "additionalProperties": False,
}
PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "ProblemDetails",
    "description": "RFC 9457 problem document; some problems add members (errors, retry_after, ...)",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "description": "/problems/<slug>, e.g. /problems/validation-error"},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "errors": {"type": "array", "items": {"$ref": REF.format(name="ProblemError")},
                   "description": "validation-error: every offending input"},
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
    components["ProblemError"] = PROBLEM_ERROR_SCHEMA
    components["ProblemErrorLocation"] = {"type": "string", "enum": list(LOCATIONS), "title": "ProblemErrorLocation"}
    components["ProblemErrorCode"] = {"type": "string", "enum": list(ERROR_CODES), "title": "ProblemErrorCode",
                                      "description": "stable, for a program (the README lists them)"}
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
            _name_operation(operation, method.upper(), path, handler)
    add_client_credentials_flow(doc, APP_SCOPES)
    _translate_patterns(doc)
    _optional_defaults(components, owners)
    _polish(doc)


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
        statuses |= {401, 409}  # 409: an external token whose email a password account holds (any route)
        if "caller" in handler.parsed_fn_signature.parameters:
            statuses.add(403)  # an app client's token where a user is needed (service.http.auth.provide_caller)
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


# ---- names, tags, security and schema shapes a client generator needs -----------------------------

OPERATION_IDS: dict[tuple[str, str], str] = {
    ("GET", "/health"): "get_health",
    ("GET", "/ready"): "get_readiness",
    ("POST", "/auth/login"): "sign_in",
    ("POST", "/auth/logout"): "sign_out",
    ("POST", "/auth/refresh"): "refresh_tokens",
    ("POST", "/auth/register"): "register_account",
    ("POST", "/auth/token"): "issue_token",
    ("PATCH", "/chats/{chat_id}/messages/{message_id}"): "update_chat_message",
    ("DELETE", "/chats/{chat_id}/messages/{message_id}"): "delete_chat_message",
    ("GET", "/chats/{chat_id}/messages/{message_id}"): "get_chat_message",
    ("POST", "/chats/{chat_id}/ledger/{entry_id}/void"): "void_ledger_entry",
    ("PATCH", "/integrations/{integration_id}"): "update_integration",
    ("GET", "/goals/{goal_id}/history"): "get_goal_history",
    ("GET", "/me"): "get_me",
    ("GET", "/me/audit"): "list_audit_events",
    ("GET", "/chats/{chat_id}/members"): "list_chat_members",
    ("POST", "/chats/{chat_id}/members"): "add_chat_member",
    ("DELETE", "/chats/{chat_id}/members/{user_id}"): "remove_chat_member",
    ("PATCH", "/chats/{chat_id}/members/{user_id}"): "change_chat_member_role",
    ("POST", "/chats/{chat_id}/context/spend"): "add_chat_spend",
    ("GET", "/chats/{chat_id}/context"): "get_chat_context",
    ("PUT", "/chats/{chat_id}/context"): "replace_chat_context",
    ("GET", "/chats/{chat_id}/messages"): "list_chat_messages",
    ("POST", "/chats/{chat_id}/messages"): "create_chat_message",
    ("GET", "/reports/monthly"): "get_monthly_report",
    ("GET", "/reports/spending"): "get_spending_report",
    ("POST", "/integrations"): "connect_integration",
    ("DELETE", "/integrations/{integration_id}"): "revoke_integration",
    ("POST", "/webhooks/{provider}"): "receive_webhook",
    ("GET", "/stats/daily"): "get_daily_stats",
    ("GET", "/metrics"): "get_metrics",
}
"""operationIds where the handler's own name is not a good method name; every other operation is named
after its handler function (``list_tasks``), which must then be snake_case verb_noun (tested)."""
OPERATION_ID = r"^(get|list|create|update|replace|delete|add|remove|change|rename|sign|refresh|register|issue|" \
               r"connect|revoke|receive|import|post|put|patch|void|accept|decline)_[a-z0-9]+(_[a-z0-9]+)*$"

TAGS: dict[str, str] = {
    "auth": "Sign in and out: password accounts, tokens (bearer JWT), refresh and the OAuth2 password form",
    "account": "The caller's own account: profile, password, security audit, deletion",
    "chats": "Chats, their members, messages and group context (the chat and finance assistant)",
    "tasks": "The caller's tasks (the todo app)",
    "linked-accounts": "Financial accounts linked through Knot",
    "categories": "Expense categories (each user has their own)",
    "expenses": "Expenses: record, list with filters, change, import in bulk",
    "budgets": "Budgets per category or for all spending",
    "reports": "Spending reports over a date range or a calendar year",
    "pets": "The virtual pets of the quest app",
    "goals": "Activity goals and their progress",
    "integrations": "Connected fitness and code providers (GitHub, Fitbit)",
    "webhooks": "Provider webhooks, authenticated by their HMAC signature (no bearer token)",
    "events": "Activity events from the providers and their daily totals",
    "ops": "Liveness, readiness and metrics for operators",
}
_TAG_OF_SEGMENT = {"me": "account", "health": "ops", "ready": "ops", "metrics": "ops", "stats": "events"}
_STATUS_TEXT = {200: "OK", 201: "Created", 204: "No content", 304: "Not modified: the If-None-Match tag is current"}


def _name_operation(operation: dict[str, Any], method: str, path: str, handler: HTTPRouteHandler) -> None:
    operation["operationId"] = OPERATION_IDS.get((method, path)) or handler.handler_name
    segment = path.strip("/").split("/", 1)[0]
    operation["tags"] = [_TAG_OF_SEGMENT.get(segment, segment)]
    summary = operation.get("summary") or handler.handler_name.replace("_", " ").capitalize()
    operation["summary"] = summary
    if not operation.get("description"):
        problems = sorted(int(code) for code in operation.get("responses", {}) if code.isdigit() and int(code) >= 400)
        access = "Public: no bearer token." if is_public(handler) else "Needs a bearer token."
        operation["description"] = (f"{summary}.\n\n{access} Errors are problem documents "
                                    f"(application/problem+json): {', '.join(map(str, problems))}.")
    if method == "GET" and is_single_resource(path, handler):
        operation.setdefault("parameters", []).append({
            "name": "If-None-Match", "in": "header", "required": False, "schema": {"type": "string"},
            "description": "ETag of a version the client holds: 304 when it is still current"})
    responses = operation.get("responses", {})
    for code, response in responses.items():
        if code.isdigit() and int(code) < 400:
            response["description"] = _STATUS_TEXT.get(int(code), response.get("description", "OK"))
            headers = response.setdefault("headers", {})
            if is_single_resource(path, handler) and method in {"GET", "PATCH", "PUT"} and int(code) == 200:
                headers["ETag"] = {"schema": {"type": "string"}, "description": "the version of this resource"}
            if method == "POST" and not is_public(handler):
                headers["Idempotent-Replayed"] = {
                    "schema": {"type": "string", "enum": ["true"]},
                    "description": "present (true) when this answer replays an earlier one (Idempotency-Key)"}
            if not headers:
                del response["headers"]
    if method == "GET" and is_single_resource(path, handler) and "200" in responses:
        responses["304"] = {"description": _STATUS_TEXT[304],
                            "headers": {"ETag": {"schema": {"type": "string"}, "description": "the current tag"}}}
    if "412" in responses:
        responses["412"]["headers"] = {"ETag": {"schema": {"type": "string"}, "description": "the current tag"}}
    for code in ("409", "503"):
        if code in responses:
            responses[code]["headers"] = {"Retry-After": {"schema": {"type": "integer"},
                                                          "description": "seconds (when a retry may succeed)"}}
    responses.setdefault("default", {"description": "Any other problem (404 or 405 on unknown routes)",
                                     "content": {PROBLEM_JSON: {"schema": PROBLEM_REF}}})


def _optional_defaults(components: dict[str, Any], request_types: dict[str, type]) -> None:
    """A request member with a server-side default is optional; its ``default`` moves into the description
    (openapi-typescript makes a member with ``default`` required in the generated type)."""
    for name in request_types:
        for prop in components.get(name, {}).get("properties", {}).values():
            if "default" in prop:
                default = prop.pop("default")
                note = f"Default: {msgspec.json.encode(default).decode()}."
                prop["description"] = f"{prop['description']} {note}" if prop.get("description") else note


def _page_name(name: str) -> str | None:
    """``Page_service.chats.models.Message_`` -> ``MessagePage``."""
    if name.startswith("Page_") and name.endswith("_"):
        return name[5:-1].rsplit(".", 1)[-1] + "Page"
    return None


def _pascal(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[_\-\s]+", name))


def _polish(doc: dict[str, Any]) -> None:
    # OAuth2 password flow (POST /auth/token, a form) and the bearer JWT every protected route takes.
    schemes = doc.setdefault("components", {}).get("securitySchemes", {})
    litestar_scheme = schemes.get("BearerToken", {})  # Litestar's: oauth2 with bearer members mixed in (invalid)
    description = litestar_scheme.get("description") or "Access token from POST /auth/login"
    flows = {name: {key: value for key, value in flow.items() if key in {"tokenUrl", "refreshUrl", "scopes"}}
             for name, flow in (litestar_scheme.get("flows") or {}).items()}
    for flow in flows.values():
        flow.setdefault("scopes", {})
    flows.setdefault("password", {"tokenUrl": "/auth/token", "scopes": {}})
    doc["components"]["securitySchemes"] = {
        "BearerToken": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT", "description": description},
        "OAuth2Password": {"type": "oauth2", "description": "the same tokens, through the OAuth2 token endpoint "
                                                            "(password form; client credentials for app clients)",
                           "flows": flows},
    }
    for item in doc.get("paths", {}).values():
        for operation in item.values():
            if isinstance(operation, dict) and operation.get("security"):
                operation["security"] = [{"BearerToken": []}, {"OAuth2Password": []}]
    used = {t for item in doc.get("paths", {}).values() for op in item.values() if isinstance(op, dict)
            for t in op.get("tags", [])}
    doc["tags"] = [{"name": name, "description": TAGS.get(name, f"Operations under /{name}")}
                   for name in [*[t for t in TAGS if t in used], *sorted(used - set(TAGS))]]
    schemas = doc["components"].get("schemas", {})
    renames = {old: new for old in schemas if (new := _page_name(old))}
    _name_enums(doc, schemas, renames)
    for old, new in renames.items():
        if old in schemas:
            schemas[new] = schemas.pop(old)
            schemas[new]["title"] = new
    _rewrite(doc, {REF.format(name=old): REF.format(name=new) for old, new in renames.items()})


def _name_enums(doc: dict[str, Any], schemas: dict[str, Any], renames: dict[str, str]) -> None:
    """Inline string enums become named components (one per value set and member name), referenced
    from requests and responses alike; ``null`` allowed beside one becomes ``anyOf [$ref, null]``."""
    found: dict[tuple[str, frozenset[str]], list[tuple[str, dict[str, Any], str]]] = {}
    for component, schema in schemas.items():
        for member in schema.get("properties", {}):
            for holder, key in _enum_sites(schema["properties"], member):
                values = [v for v in holder[key]["enum"] if v is not None]
                if values and all(isinstance(v, str) for v in values):
                    found.setdefault((member, frozenset(values)), []).append((component, holder, key))
    by_member: dict[str, int] = {}
    taken: dict[str, frozenset[str]] = {}
    for member, _ in found:
        by_member[member] = by_member.get(member, 0) + 1
    ranked = sorted(found.items(), key=lambda kv: (-len(kv[1]), kv[0][0], sorted(kv[0][1])))
    for (member, values), sites in ranked:
        owner = re.sub(r"(Create|Patch|Put|Body)$", "", sites[0][0])
        name = _pascal(member) if by_member[member] == 1 else owner + _pascal(member)
        same = [known for known, known_values in taken.items() if known_values == values]
        if same:  # one enum, one name: MyRole and MemberRole are the same three values
            name = same[0]
        elif name in taken:
            name = sites[0][0] + _pascal(member)
        while (name in schemas and schemas[name].get("enum") is None) or (name in taken and taken[name] != values):
            name += "Value"
        taken[name] = values
        first = sites[0][1][sites[0][2]]
        ordered = [v for v in first["enum"] if v is not None]
        schemas[name] = {"type": "string", "enum": ordered, "title": name}
        for _, holder, key in sites:
            nullable = None in holder[key]["enum"] or holder[key].get("type") == ["string", "null"]
            extra = {k: v for k, v in holder[key].items() if k in {"description", "default", "examples"}}
            ref = {"$ref": REF.format(name=name)}
            holder[key] = {"anyOf": [ref, {"type": "null"}], **extra} if nullable else {**ref, **extra} \
                if extra else ref
    _ = renames


def _enum_sites(properties: dict[str, Any], member: str) -> list[tuple[Any, Any]]:
    """(container, key) pairs at or under ``properties[member]`` whose value is an inline enum."""
    sites: list[tuple[Any, Any]] = []
    stack: list[tuple[Any, Any]] = [(properties, member)]
    while stack:
        holder, key = stack.pop()
        node = holder[key]
        if not isinstance(node, dict):
            continue
        if "enum" in node and "$ref" not in node:
            sites.append((holder, key))
            continue
        for sub in ("anyOf", "oneOf"):
            for index in range(len(node.get(sub, []))):
                stack.append((node[sub], index))
        if isinstance(node.get("items"), dict):
            stack.append((node, "items"))
    return sites


def _rewrite(node: Any, refs: dict[str, str]) -> None:
    """Shapes a generator needs, everywhere: renamed $refs; ``oneOf [X, null]`` as ``anyOf``; arrays
    with ``items``; free-form objects with ``additionalProperties``; no ``default`` forcing a
    generated request type to require a field (it moves into the description)."""
    if isinstance(node, dict):
        if node.get("$ref") in refs:
            node["$ref"] = refs[node["$ref"]]
        one_of = node.get("oneOf")
        if isinstance(one_of, list) and {"type": "null"} in one_of:
            node["anyOf"] = node.pop("oneOf")
        kinds = node.get("type")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if "array" in kinds and "items" not in node:
            node["items"] = {}
        if "object" in kinds and "properties" not in node and "additionalProperties" not in node:
            node["additionalProperties"] = True
        for value in node.values():
            _rewrite(value, refs)
    elif isinstance(node, list):
        for item in node:
            _rewrite(item, refs)
