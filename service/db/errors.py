"""Domain errors, and the one place where PostgreSQL errors become them.

Handlers never catch asyncpg errors: a constraint the request broke reaches
``from_postgres`` through the app's exception handler, and the constraint's
name (asyncpg gives it) picks the message a client sees.  Each domain
registers its messages with ``describe_constraints`` next to its models.
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


class PayloadTooLarge(DomainError):
    status, slug, title = 413, "payload-too-large", "Payload too large"


class Unprocessable(DomainError):
    status, slug, title = 422, "unprocessable", "Unprocessable content"


class Unavailable(DomainError):
    status, slug, title = 503, "unavailable", "Service unavailable"


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
    constraint = getattr(exc, "constraint_name", None)
    extra = {"constraint": constraint} if constraint else {}
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
