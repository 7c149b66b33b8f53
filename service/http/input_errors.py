"""Every offending input of a request Litestar refused, as ``errors`` entries a client can act on.

Litestar (and msgspec under it) stops at the first bad body field and names
parameters by their Python names (``from_``).  When it refuses a request, the
request is checked again here, input by input, against the handler's own
types: each query/header parameter by its public name, each body member by an
RFC 6901 pointer, each one with a sentence and a stable code (``ERROR_CODES``
in ``service.errors``).  This runs only on requests already refused, never on
the request path of a good one.
"""

from __future__ import annotations

import enum
import re
import types
import typing
from functools import partial
from typing import Any

import msgspec
from litestar import Request
from litestar._kwargs.kwargs_model import KwargsModel  # litestar==2.25.0: expected_*_params of a handler
from litestar._signature.model import _deserializer  # litestar==2.25.0: the parameter decoder Litestar uses
from litestar.handlers import HTTPRouteHandler
from litestar.routes import HTTPRoute

from service.errors import input_error, invalid

_AT = re.compile(r"^(?P<message>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.DOTALL)
_PATH_PART = re.compile(r"\.([^.\[]+)|\[(\d+)\]|\[\.\.\.\]")
_NOUNS = {
    "int": "an integer", "float": "a number", "str": "a string", "bool": "true or false", "null": "null",
    "object": "an object", "array": "an array", "decimal": "a decimal number", "bytes": "base64 text",
    "datetime": "an RFC 3339 date-time", "date": "a date (YYYY-MM-DD)", "uuid": "a UUID", "time": "a time",
}
_PATTERNS = {  # what each pattern of the models means, in words
    r"\S": ("must not be blank", "blank"),
    r"^\S+$": ("must be one word without white space", "pattern"),
    r"^\S(.*\S)?$": ("must not be blank nor start or end with white space", "pattern"),
    r"^(0|[1-9][0-9]{0,9})(\.[0-9]{1,2})?$": ('must be a decimal amount like "12.50"', "format"),
    r"^[0-9]{1,10}(\.[0-9]{1,2})?$": ('must be a decimal amount like "12.50"', "format"),
    r"^#[0-9a-fA-F]{6}$": ('must be a colour like "#3182ce"', "format"),
    r"^[Hh][Tt][Tt][Pp][Ss]?://\S+$": ("must be an http or https URL", "format"),
    r"^[^@\s]+@[^@\s]+\.[^@\s]+$": ("must be an email address", "format"),
    r"^[A-Za-z0-9_.-]{3,32}$": ("must be 3 to 32 letters, digits, '_', '.' or '-'", "pattern"),
}
_FORMATS = {"datetime": "an RFC 3339 date-time (2026-01-31T12:00:00Z)", "date": "a date (YYYY-MM-DD)",
            "UUID": "a UUID", "decimal string": "a decimal number", "time": "a time", "base64": "base64 text"}
_COMPARE = {">=": ("at least", "too_small"), ">": ("greater than", "too_small"),
            "<=": ("at most", "too_large"), "<": ("less than", "too_large")}


def _noun(spec: str) -> str:
    parts = [p.strip() for p in spec.split("|")]
    return " or ".join(_NOUNS.get(p, p) for p in parts)


def sentence(raw: str, name: str, annotation: Any = None) -> tuple[str, str]:
    """(message, code) for one msgspec / __post_init__ message about the input called ``name``."""
    if m := re.fullmatch(r"Expected `(.+?)`, got `(.+?)`", raw):
        return f"{name} must be {_noun(m[1])}, not {_noun(m[2])}", "type"
    if m := re.fullmatch(r"Expected `str` matching regex '(.*)'", raw, re.DOTALL):
        pattern = m[1].encode().decode("unicode_escape")
        message, code = _PATTERNS.get(pattern, ("is not in the expected form", "pattern"))
        return f"{name} {message}", code
    if m := re.fullmatch(r"Expected `(str|array|object|bytes)` of length (>=|<=) (\d+)", raw):
        unit = {"str": "characters", "array": "items", "object": "members", "bytes": "bytes"}[m[1]]
        if m[2] == ">=":
            return (f"{name} must not be empty" if m[3] == "1" else f"{name} must have at least {m[3]} {unit}",
                    "too_short")
        return f"{name} must have at most {m[3]} {unit}", "too_long"
    if m := re.fullmatch(r"Expected `(int|float|decimal)` (>=|>|<=|<) (\S+)", raw):
        words, code = _COMPARE[m[2]]
        return f"{name} must be {words} {m[3]}", code
    if m := re.fullmatch(r"Invalid (?:RFC3339 encoded )?(datetime|date|time|UUID|decimal string|base64).*", raw):
        return f"{name} must be {_FORMATS.get(m[1], m[1])}", "format"
    if raw.startswith("Invalid enum value"):
        allowed = allowed_values(annotation)
        tail = f": {', '.join(allowed)}" if allowed else ""
        return f"{name} is not one of the allowed values{tail}", "not_allowed"
    if raw.startswith("Object missing required field"):
        return f"{name} is required", "missing"
    if raw.startswith("Object contains unknown field"):
        return f"{name} is not a member this operation accepts", "unknown_field"
    return raw if raw.startswith(name) else f"{name}: {raw}", "invalid"


def allowed_values(annotation: Any) -> list[str]:
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return [str(member.value) for member in annotation]
    if typing.get_origin(annotation) is typing.Literal:
        return [str(v) for v in typing.get_args(annotation)]
    for arg in typing.get_args(annotation):
        if values := allowed_values(arg):
            return values
    return []


def _unwrap(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _pointer(base: str, msgspec_path: str | None) -> str:
    if not msgspec_path:
        return base
    parts = [m[1] or m[2] or "-" for m in _PATH_PART.finditer(msgspec_path)]
    return base + "".join("/" + _escape(p) for p in parts)


def _last(pointer: str) -> str:
    return pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~") if pointer else "the body"


def _kwargs_model(request: Request[Any, Any, Any]) -> KwargsModel | None:
    handler = request.scope.get("route_handler")
    for route in request.app.routes:
        if isinstance(route, HTTPRoute) and route.path_format == request.scope.get("path_template"):
            for candidate, model in route.route_handler_map.values():
                if candidate is handler:
                    return model
    return None


_NOT_RFC3339 = re.compile(r"[0-9.eE+-]*")


def require_rfc3339(request: Request[Any, Any, Any], *names: str) -> None:
    """Litestar decodes query parameters leniently: ``?to=0.5`` became a date-time (a Unix timestamp).
    A date-time parameter must be written as RFC 3339; a bare number is refused, naming the parameter."""
    errors = [input_error("query", name, f"{name} must be an RFC 3339 date-time (2026-01-31T12:00:00Z)", "format")
              for name in names
              if (raw := request.query_params.get(name)) is not None and _NOT_RFC3339.fullmatch(raw)]
    if errors:
        raise invalid(errors[0]["message"], *errors)


def request_errors(request: Request[Any, Any, Any]) -> list[dict[str, str]]:
    """Every offending input of ``request`` against its handler's declared parameters and body."""
    handler = request.scope.get("route_handler")
    if not isinstance(handler, HTTPRouteHandler):
        return []
    errors: list[dict[str, str]] = []
    model = _kwargs_model(request)
    annotations = handler.signature_model.__annotations__
    decode = partial(_deserializer, default_deserializer=handler.default_deserializer)
    if model is not None:
        sources = (("query", model.expected_query_params, request.query_params),
                   ("header", model.expected_header_params, request.headers),
                   ("path", model.expected_path_params, request.path_params))
        for location, expected, values in sources:
            for param in sorted(expected, key=lambda p: p.field_alias):
                errors += _parameter_errors(location, param, values, annotations.get(param.field_name), decode)
    if "data" in handler.parsed_fn_signature.parameters and request.method in {"POST", "PUT", "PATCH"}:
        raw = request.scope.get("state", {}).get("raw_body")
        if raw is not None:
            errors += body_errors(raw, handler.parsed_fn_signature.parameters["data"].annotation)
    return errors


def _parameter_errors(location: str, param: Any, values: Any, annotation: Any, decode: Any) -> list[dict[str, str]]:
    name = param.field_alias
    if location == "header":
        present = name.lower() in values
        raw = values.get(name.lower())
    elif param.is_sequence and hasattr(values, "getall"):
        raw = values.getall(name, [])
        present = bool(raw)
    else:
        present = name in values
        raw = values.get(name)
    if not present:
        if param.is_required:
            return [input_error(location, name, f"{name} is required", "missing")]
        return []
    if annotation is None:
        return []
    try:
        msgspec.convert(raw, type=annotation, strict=False, dec_hook=decode, str_keys=True)
    except msgspec.ValidationError as exc:
        match = _AT.match(str(exc))
        assert match is not None
        message, code = sentence(match["message"], name, annotation)
        return [input_error(location, name, message, code)]
    except Exception as exc:  # a decoder's own error (e.g. a cursor): its text is the sentence
        return [input_error(location, name, f"{name}: {exc}", "invalid")]
    return []


def body_errors(raw: bytes, annotation: Any) -> list[dict[str, str]]:
    """Every offending member of a JSON body for ``annotation`` (a Struct, usually), each by pointer."""
    if not raw.strip():
        return [input_error("body", "", "a JSON body is required", "missing")]
    try:
        value = msgspec.json.decode(raw)
    except msgspec.DecodeError:
        return [input_error("body", "", "the body is not valid JSON", "invalid_json")]
    return _value_errors(value, annotation, "")


def _struct_of(annotation: Any, value: Any) -> type[msgspec.Struct] | None:
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, msgspec.Struct):
        return annotation
    if isinstance(value, dict) and typing.get_origin(annotation) in (typing.Union, types.UnionType):
        structs = [a for a in map(_unwrap, typing.get_args(annotation))
                   if isinstance(a, type) and issubclass(a, msgspec.Struct)]
        if len(structs) == 1:
            return structs[0]
    return None


MAX_ERRORS = 100
"""At most this many entries per problem (a 10,000-row import with every row wrong stays a small answer)."""


def _list_item(annotation: Any) -> Any:
    """The item type of a ``list[T]`` (or optional / annotated one), else None."""
    annotation = _unwrap(annotation)
    if typing.get_origin(annotation) is list:
        return typing.get_args(annotation)[0]
    lists = [a for a in map(_unwrap, typing.get_args(annotation)) if typing.get_origin(a) is list]
    return typing.get_args(lists[0])[0] if len(lists) == 1 else None


# Members are converted as Litestar converts the body (msgspec ``strict=False``: ``238.0`` is the integer 238),
# so no entry names a member Litestar accepted.
def _value_errors(value: Any, annotation: Any, pointer: str) -> list[dict[str, str]]:
    struct = _struct_of(annotation, value)
    if struct is not None and isinstance(value, dict) and not struct.__struct_config__.tag:
        errors: list[dict[str, str]] = []
        fields = msgspec.structs.fields(struct)
        names = {f.encode_name for f in fields}
        for field in fields:
            at = f"{pointer}/{_escape(field.encode_name)}"
            if field.encode_name not in value:
                if field.required:
                    errors.append(input_error("body", at, f"{field.encode_name} is required", "missing"))
                continue
            errors += _value_errors(value[field.encode_name], field.type, at)
        if struct.__struct_config__.forbid_unknown_fields:
            for key in value:
                if key not in names:
                    errors.append(input_error("body", f"{pointer}/{_escape(str(key))}",
                                              f"{key} is not a member this operation accepts", "unknown_field"))
        if errors:
            return errors
        try:  # members fine one by one: a rule across them (__post_init__) may still refuse
            msgspec.convert(value, struct, strict=False)
        except msgspec.ValidationError as exc:
            return [_rule_error(str(exc), struct, pointer)]
        return []
    item_type = _list_item(annotation)
    if item_type is not None and isinstance(value, list):
        errors = []
        for index, item in enumerate(value):
            errors += _value_errors(item, item_type, f"{pointer}/{index}")
            if len(errors) >= MAX_ERRORS:
                return errors[:MAX_ERRORS]
        if errors:
            return errors
    try:
        msgspec.convert(value, annotation, strict=False)
    except msgspec.ValidationError as exc:
        match = _AT.match(str(exc))
        assert match is not None
        at = _pointer(pointer, match["path"])
        message, code = sentence(match["message"], _last(at), annotation)
        return [input_error("body", at, message, code)]
    return []


def _rule_error(raw: str, struct: type[msgspec.Struct], pointer: str) -> dict[str, str]:
    """A rule across members (``end_date must not be before start_date``): the pointer names the member
    the sentence starts with; ``conflicting`` when it names another member too."""
    match = _AT.match(raw)
    assert match is not None
    message = match["message"]
    names = [f.encode_name for f in msgspec.structs.fields(struct)]
    first = message.split(" ", 1)[0]
    if first in names:
        others = [n for n in names if n != first and re.search(rf"\b{re.escape(n)}\b", message)]
        return input_error("body", f"{pointer}/{_escape(first)}", message, "conflicting" if others else "invalid")
    return input_error("body", pointer, message, "invalid")
