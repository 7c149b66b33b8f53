"""Every problem type the service answers with, its status, and the one place PostgreSQL errors become them.

- A problem type is a ``DomainError`` subclass here (status, slug, title); ``service.http.problems``
  renders them as RFC 9457 documents (``application/problem+json``).  No other module defines one.
- Every 400/422 about the request's input lists each offending input in ``errors`` as
  ``{"location", "pointer", "message", "code"}`` (``InputError``; ``invalid(...)`` raises one);
  ``ERROR_CODES`` is the closed list of codes (the README's table is checked against it).
- Handlers never catch asyncpg errors: a constraint the request broke reaches ``from_postgres``
  through the app's exception handler, and the constraint's name (asyncpg gives it) picks the
  message a client sees; the name itself never leaves the service.  Each domain registers its
  messages with ``describe_constraints`` next to its models.
"""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg


class DomainError(Exception):
    status = 400
    slug = "bad-request"
    title = "Bad request"

    def __init__(self, detail: str, *, headers: dict[str, str] | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.headers = headers
        self.extra = extra

    def response_headers(self, request: Any) -> dict[str, str] | None:
        """Headers of the problem response (a subclass may derive them from the request)."""
        return self.headers


class BadRequest(DomainError):
    pass


class InputError(DomainError):
    """Input that does not fit: every offending input in ``errors`` (see ``input_error``)."""

    status, slug, title = 400, "validation-error", "Invalid request"


class Unauthorized(DomainError):
    status, slug, title = 401, "unauthorized", "Unauthorized"


class Forbidden(DomainError):
    status, slug, title = 403, "forbidden", "Forbidden"


class NotFound(DomainError):
    status, slug, title = 404, "not-found", "Not found"


class Conflict(DomainError):
    status, slug, title = 409, "conflict", "Conflict"


class PreconditionFailed(DomainError):
    status, slug, title = 412, "precondition-failed", "Precondition failed"


class PreconditionRequired(DomainError):
    status, slug, title = 428, "precondition-required", "Precondition required"


class PayloadTooLarge(DomainError):
    status, slug, title = 413, "payload-too-large", "Payload too large"


class UnsupportedMediaType(DomainError):
    status, slug, title = 415, "unsupported-media-type", "Unsupported media type"


class TooManyRequests(DomainError):
    status, slug, title = 429, "too-many-requests", "Too many requests"


class Unprocessable(DomainError):
    status, slug, title = 422, "unprocessable", "Unprocessable content"


class Unavailable(DomainError):
    status, slug, title = 503, "unavailable", "Service unavailable"


ERROR_CODES: dict[str, str] = {
    "missing": "a required input is absent (or the body is empty)",
    "invalid_json": "the body is not JSON (or nested too deeply)",
    "type": "the value has the wrong type (a string where a number belongs, an object where a list belongs)",
    "format": "the string is not of the expected format (date, date-time, UUID, decimal, cursor, entity tag)",
    "blank": "the string is empty or only white space",
    "pattern": "the string does not match the documented pattern",
    "too_short": "the string or list is shorter than the minimum",
    "too_long": "the string or list is longer than the maximum",
    "too_small": "the number is below the minimum",
    "too_large": "the number is above the maximum",
    "not_allowed": "the value is not one of the allowed values",
    "unknown_field": "the body has a member the operation does not accept",
    "conflicting": "two inputs contradict each other (from after to, min above max, both or neither given)",
    "range_too_wide": "the range spans more than the operation allows",
    "invalid": "the value is refused for another reason (the message says which)",
}
"""Every ``code`` an ``errors`` entry can carry: stable, listed in the README."""

LOCATIONS = ("body", "query", "path", "header")


def input_error(location: str, pointer: str, message: str, code: str) -> dict[str, str]:
    """One ``errors`` entry: ``pointer`` is an RFC 6901 pointer into the body, or a parameter's public name."""
    assert location in LOCATIONS and code in ERROR_CODES, (location, code)
    return {"location": location, "pointer": pointer, "message": message, "code": code}


def invalid(detail: str, *entries: dict[str, str]) -> InputError:
    """A 400 naming the offending inputs: ``raise invalid("from must not be after to", input_error(...), ...)``."""
    return InputError(detail, errors=list(entries))


def check_range(first: Any, last: Any, *, max_days: int | None = None, names: tuple[str, str] = ("from", "to"),
                location: str = "query") -> None:
    """The one cross-field rule of every date range (/events, /expenses, /stats/daily, /reports, budgets):
    ``from`` after ``to`` is a 400 naming ``from`` (code ``conflicting``); a range longer than
    ``max_days`` days is a 400 naming ``to`` (code ``range_too_wide``)."""
    if first is None or last is None:
        return
    start, end = names
    at = (lambda name: f"/{name}") if location == "body" else (lambda name: name)
    if first > last:
        message = f"{start} must not be after {end}"
        raise invalid(message, input_error(location, at(start), message, "conflicting"))
    span = getattr(last - first, "days", None)
    if max_days is not None and span is not None and span >= max_days:
        message = f"the range may span at most {max_days} days ({start} to {end})"
        raise invalid(message, input_error(location, at(end), message, "range_too_wide"))


CONSTRAINT_MESSAGES: dict[str, str] = {}


def describe_constraints(messages: dict[str, str]) -> None:
    """Register what a client is told when a named constraint refuses a write."""
    CONSTRAINT_MESSAGES.update(messages)


def _message(exc: asyncpg.PostgresError, fallback: str) -> str:
    name = getattr(exc, "constraint_name", None)
    return CONSTRAINT_MESSAGES.get(name or "", fallback)


BROKEN_CONNECTION = (
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.InternalClientError,  # e.g. a query sent while the server's "terminating connection" is still unread
    ConnectionError,
    OSError,
)
"""Errors after which a pooled connection is not to be used again."""

_UNAVAILABLE = (
    asyncpg.PostgresConnectionError,
    asyncpg.InternalClientError,
    asyncpg.CannotConnectNowError,
    asyncpg.TooManyConnectionsError,
    asyncpg.AdminShutdownError,
    ConnectionError,
    OSError,
    asyncio.TimeoutError,
)


def _lost_connection(exc: BaseException) -> bool:
    """asyncpg's InterfaceError for a connection the server closed under a running request (a pooled
    connection is detached from its proxy when it dies); other InterfaceErrors are bugs."""
    return isinstance(exc, asyncpg.InterfaceError) and (
        "connection is closed" in str(exc) or "released back to the pool" in str(exc))


def from_postgres(exc: BaseException) -> DomainError | None:
    """The domain error a database error means, or None for a bug (which stays a 500)."""
    extra: dict[str, Any] = {}  # the constraint's name picks the message; it never reaches the client
    if isinstance(exc, asyncpg.UniqueViolationError | asyncpg.ExclusionViolationError):
        return Conflict(_message(exc, "a row with these values already exists"), **extra)
    if isinstance(exc, asyncpg.RestrictViolationError):
        # ON DELETE RESTRICT refusing a deletion, e.g. a category an expense was added to while
        # the deletion waited for it (issue #12 review; was a 500).  The constraint's registered
        # message describes the referencing side, so it is not used here.
        return Conflict("other rows still refer to this one; remove them first", **extra)
    if isinstance(exc, asyncpg.ForeignKeyViolationError):
        if "still referenced" in (exc.detail or ""):
            return Conflict(_message(exc, "other rows still refer to this one"), **extra)
        return Unprocessable(_message(exc, "refers to something that does not exist"), **extra)
    if isinstance(exc, asyncpg.CheckViolationError | asyncpg.NotNullViolationError):
        return Unprocessable(_message(exc, "a value is out of its allowed range"), **extra)
    if type(exc) is asyncpg.IntegrityConstraintViolationError:
        # A deferred constraint trigger refusing a COMMIT (e.g. chats_one_owner): the state the
        # transaction would leave breaks a rule, usually because of a concurrent change.
        return Conflict(_message(exc, "the change would break a rule of the data; try again"), **extra)
    if isinstance(exc, asyncpg.DataError):
        return Unprocessable("a value has the wrong form or is out of range")
    if isinstance(exc, asyncpg.QueryCanceledError):
        return Unavailable("the database took too long to answer; try again")
    if isinstance(exc, asyncpg.SerializationError | asyncpg.DeadlockDetectedError):
        return Unavailable("a concurrent change got in the way; try again")
    if isinstance(exc, _UNAVAILABLE) or _lost_connection(exc):
        return Unavailable("the database is unavailable; try again shortly")
    return None
