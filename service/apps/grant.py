"""The token endpoint's request (RFC 6749): form or JSON body, plus HTTP Basic client authentication.

``POST /auth/token`` serves two grants:

- ``grant_type=password`` (or none, as before): ``username`` and ``password`` of a user;
- ``grant_type=client_credentials``: an app client's ``client_id`` and ``client_secret``,
  in the body or as HTTP Basic credentials (RFC 6749 2.3.1, each part form-URL-encoded;
  the only route and grant where Basic is read: every other route answers it 401), and an
  optional space-separated ``scope``.

Every malformed request is a 400 problem naming the field (with the RFC's ``error`` code).
"""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any, Literal
from urllib.parse import parse_qs, unquote_plus

import msgspec
from msgspec import Meta

from service.errors import BadRequest, DomainError, InputError, input_error

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"

LIMITS = {"grant_type": 32, "username": 254, "password": 1024, "client_id": 64, "client_secret": 256,
          "scope": 256}


class UnsupportedMediaType(DomainError):
    status, slug, title = 415, "unsupported-media-type", "Unsupported media type"


class TokenRequest(msgspec.Struct, kw_only=True):
    """POST /auth/token (form or JSON): the password grant's or the client-credentials grant's fields."""

    grant_type: Literal["password", "client_credentials"] | None = None
    username: Annotated[str, Meta(min_length=1, max_length=254)] | None = None
    password: Annotated[str, Meta(min_length=1, max_length=1024)] | None = None
    client_id: Annotated[str, Meta(min_length=1, max_length=64)] | None = None
    client_secret: Annotated[str, Meta(min_length=1, max_length=256)] | None = None
    scope: Annotated[str, Meta(max_length=256)] | None = None


def _invalid(field: str, message: str, error: str = "invalid_request") -> BadRequest:
    return InputError(f"{field}: {message}", error=error,
                      errors=[input_error("body", f"/{field}", f"{field}: {message}", "invalid")])


def _fields_of_form(body: bytes) -> dict[str, str]:
    try:
        parsed = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(body))
    except (UnicodeDecodeError, ValueError):
        raise BadRequest("the form body is not valid application/x-www-form-urlencoded",
                         error="invalid_request") from None
    fields: dict[str, str] = {}
    for name, values in parsed.items():
        if len(values) > 1:
            raise _invalid(name, "must not be given more than once")
        fields[name] = values[0]
    return fields


def _fields_of_json(body: bytes) -> dict[str, str]:
    try:
        decoded = msgspec.json.decode(body)
    except msgspec.DecodeError:
        raise BadRequest("the body is not valid JSON", error="invalid_request") from None
    if not isinstance(decoded, dict):
        raise BadRequest("the body must be a JSON object", error="invalid_request")
    fields: dict[str, str] = {}
    for name, value in decoded.items():
        if name in LIMITS and not isinstance(value, str):
            raise _invalid(name, "must be a string")
        if isinstance(value, str):
            fields[name] = value
    return fields


def _basic(header: str | None) -> tuple[str, str] | None:
    if header is None:
        return None
    scheme, _, encoded = header.strip().partition(" ")
    if scheme.lower() != "basic":
        raise BadRequest("only HTTP Basic client authentication is accepted here", error="invalid_client")
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise BadRequest("Authorization: malformed Basic credentials", error="invalid_client") from None
    client_id, sep, secret = decoded.partition(":")
    if not sep:
        raise BadRequest("Authorization: malformed Basic credentials", error="invalid_client")
    return unquote_plus(client_id), unquote_plus(secret)


def parse(content_type: str | None, body: bytes, authorization: str | None) -> TokenRequest:
    media = (content_type or "").split(";")[0].strip().lower()
    if media == FORM:
        fields = _fields_of_form(body)
    elif media == JSON:
        fields = _fields_of_json(body)
    else:
        raise UnsupportedMediaType(f"send the token request as {FORM} (RFC 6749) or {JSON}")
    for name, limit in LIMITS.items():
        if name in fields and len(fields[name]) > limit:
            raise _invalid(name, f"must be at most {limit} characters")
    grant = fields.get("grant_type") or None
    if grant not in (None, "password", "client_credentials"):
        raise _invalid("grant_type", "must be password or client_credentials", "unsupported_grant_type")
    values: dict[str, Any] = {k: (v or None) for k, v in fields.items() if k in LIMITS}
    if grant == "client_credentials":
        basic = _basic(authorization)
        if basic is not None:
            if values.get("client_id") or values.get("client_secret"):
                raise BadRequest("give the client credentials once: in the Authorization header or the body",
                                 error="invalid_request")
            values["client_id"], values["client_secret"] = basic
        for name in ("client_id", "client_secret"):
            if not values.get(name):
                raise _invalid(name, "is required for grant_type client_credentials")
    else:
        # The password grant authenticates the user by the body alone; an Authorization header (the OpenAPI
        # UI may send its own client's Basic credentials) is ignored, as it always was here.
        for name in ("username", "password"):
            if not values.get(name):
                raise _invalid(name, "is required for grant_type password")
    values["grant_type"] = grant
    return TokenRequest(**values)
