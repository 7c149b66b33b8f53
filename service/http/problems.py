"""Every error as an RFC 9457 problem document, rendered in one place.

The problem types themselves (status, slug, title, the ``errors`` entry shape and its codes) are
defined in ``service.errors``; this module renders them, Litestar's own exceptions and database
errors as ``application/problem+json``.
"""

from __future__ import annotations

import logging
from typing import Any

import msgspec
from litestar import Request, Response
from litestar.exceptions import ClientException, HTTPException, ValidationException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from service.errors import DomainError, from_postgres, input_error
from service.http.input_errors import request_errors, sentence

log = logging.getLogger("service.errors")
PROBLEM_JSON = "application/problem+json"
CHALLENGE = 'Bearer realm="service"'
"""The ``WWW-Authenticate`` challenge every 401 carries (RFC 9110 11.6.1, RFC 6750 3): only Bearer authenticates."""

_SLUGS = {
    400: "bad-request", 401: "unauthorized", 403: "forbidden", 404: "not-found",
    405: "method-not-allowed", 409: "conflict", 412: "precondition-failed",
    413: "payload-too-large", 415: "unsupported-media-type", 422: "unprocessable",
    429: "too-many-requests", 500: "internal-error", 503: "unavailable", 504: "timeout",
}
_TITLES = {
    400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found",
    405: "Method not allowed", 409: "Conflict", 412: "Precondition failed",
    413: "Payload too large", 415: "Unsupported media type", 422: "Unprocessable content",
    429: "Too many requests", 500: "Internal server error", 503: "Service unavailable",
}


def problem(status: int, detail: str, *, slug: str | None = None, title: str | None = None,
            headers: dict[str, str] | None = None, **extra: Any) -> Response[dict[str, Any]]:
    body: dict[str, Any] = {
        "type": f"/problems/{slug or _SLUGS.get(status, 'error')}",
        "title": title or _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        **extra,
    }
    return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=_challenge(status, headers))


def _challenge(status: int, headers: dict[str, str] | None) -> dict[str, str] | None:
    """Every 401 names the scheme that authenticates (RFC 9110 11.6.1): ``WWW-Authenticate: Bearer``."""
    if status != 401 or any(name.lower() == "www-authenticate" for name in headers or {}):
        return headers
    return {**(headers or {}), "WWW-Authenticate": CHALLENGE}


def _from_litestar(extra: Any) -> list[dict[str, str]]:
    """Litestar's own ``{message, key, source}`` entries, reshaped (used only when the re-check found nothing)."""
    entries: list[dict[str, str]] = []
    for item in extra if isinstance(extra, list) else []:
        if not isinstance(item, dict):
            continue
        source = str(item.get("source") or "body")
        location = source if source in {"query", "path", "header"} else "body"
        key = str(item.get("key") or "")
        if location == "body":
            pointer = "" if key in {"", "data"} else "/" + key.replace(".", "/")
        else:
            pointer = key.removesuffix("_") if key.endswith("_") else key
        message, code = sentence(str(item.get("message", "")), pointer.rsplit("/", 1)[-1] or "the body")
        entries.append(input_error(location, pointer, message, code))
    return entries


def summary(errors: list[dict[str, str]]) -> str:
    """The ``detail`` of a problem listing ``errors``: the first sentence, and how many more."""
    if not errors:
        return "the request does not match the expected shape"
    more = len(errors) - 1
    return errors[0]["message"] + (f" (and {more} more input{'s' if more > 1 else ''})" if more else "")


def _validation(request: Request[Any, Any, Any], exc: ValidationException) -> Response[dict[str, Any]]:
    errors = request_errors(request) or _from_litestar(exc.extra)
    return problem(400, summary(errors), slug="validation-error", title="Invalid request", errors=errors)


def http_exception_handler(request: Request[Any, Any, Any], exc: HTTPException) -> Response[dict[str, Any]]:
    if isinstance(exc, ValidationException):
        return _validation(request, exc)
    if type(exc) is ClientException and exc.status_code == 400:  # a body msgspec could not decode
        errors = request_errors(request)
        if errors:
            return problem(400, summary(errors), slug="validation-error", title="Invalid request", errors=errors)
    status = exc.status_code
    if status >= 500:
        log.error("http %s: %s", status, exc.detail)
    return problem(status, exc.detail or _TITLES.get(status, "Error"), headers=exc.headers)


def domain_error_handler(request: Request[Any, Any, Any], exc: DomainError) -> Response[dict[str, Any]]:
    return problem(exc.status, exc.detail, slug=exc.slug, title=exc.title, headers=exc.response_headers(request),
                   **exc.extra)


def unexpected_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    """Database errors that mean something (constraints, outages) become 4xx/503; the rest is a bug."""
    mapped = from_postgres(exc)
    if mapped is not None:
        if mapped.status >= 500:
            log.warning("database unavailable on %s %s: %s", request.method, request.url.path,
                        exc.__class__.__name__)
        return domain_error_handler(request, mapped)
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem(HTTP_500_INTERNAL_SERVER_ERROR, "an unexpected error occurred")


def status_of(exc: Exception) -> int:
    """The status the handlers above answer ``exc`` with: the one place the access log and the
    metrics learn the status of a request that ended in an exception raised inside them."""
    if isinstance(exc, HTTPException):
        return exc.status_code
    mapped = exc if isinstance(exc, DomainError) else from_postgres(exc)
    return mapped.status if mapped is not None else HTTP_500_INTERNAL_SERVER_ERROR


EXCEPTION_HANDLERS: dict[type[Exception] | int, Any] = {
    HTTPException: http_exception_handler,
    DomainError: domain_error_handler,
    Exception: unexpected_error_handler,
}


async def send_problem(send: Any, status: int, detail: str, *, slug: str | None = None, title: str | None = None,
                       headers: dict[str, str] | None = None, **extra: Any) -> None:
    """A problem response written straight to ASGI ``send``, for middleware that answers before routing."""
    body = msgspec.json.encode({
        "type": f"/problems/{slug or _SLUGS.get(status, 'error')}",
        "title": title or _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        **extra,
    })
    raw_headers = [(b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode())]
    raw_headers += [(k.lower().encode(), v.encode()) for k, v in (_challenge(status, headers) or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": body})
