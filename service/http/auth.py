"""Bearer authentication: short-lived JWT access tokens checked without a database round trip.

Litestar's ``OAuth2PasswordBearerAuth`` does the work (header parsing, HS256
pinned, ``exp`` required and enforced, the OpenAPI security scheme with the
password flow at ``/auth/token``).  The token carries the user id (``sub``)
and the sign-in session id (``sid``), which is all a handler needs; a
revoked session's access token lapses within its lifetime.

A bearer token of the configured external issuer (``service/http/external.py``)
is accepted on the same routes: the middleware below routes a token by its
``iss`` claim to that issuer's key, and only such tokens touch the database.

Routes that need no token say so with ``opt={"exclude_from_auth": True}``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from uuid import UUID

import msgspec
from litestar import Request
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, ServiceUnavailableException
from litestar.middleware import DefineMiddleware
from litestar.middleware.authentication import AuthenticationResult
from litestar.security.jwt import JWTCookieAuthenticationMiddleware, OAuth2PasswordBearerAuth, Token

from service.config import Settings
from service.http.external import ExternalIssuer, Resolver
from service.http.problems import CHALLENGE

PUBLIC = {"exclude_from_auth": True}
"""``opt`` for a route that needs no bearer token."""


APP_TOKEN_KIND = "app"  # noqa: S105 - a claim value, not a secret
"""The ``kind`` claim of an app's access token (client-credentials grant); user tokens carry none."""


class Caller(msgspec.Struct, frozen=True):
    """Who is calling: the authenticated user and the session their token belongs to.

    For an app token (``app`` true) ``id`` is the app client's id, not a user's, and
    ``scopes`` are the granted scopes: the ``caller`` dependency refuses such a caller
    (403), so no user route ever takes an app's id for a user's; only routes that ask
    for ``speaker`` (``provide_speaker``) see apps.
    """

    id: UUID
    session_id: UUID | None = None
    app: bool = False
    scopes: frozenset[str] = frozenset()


async def caller_from_token(token: Token, _: ASGIConnection[Any, Any, Any, Any]) -> Caller | None:
    try:
        if token.extras.get("kind") == APP_TOKEN_KIND:
            scope = token.extras.get("scope") or ""
            return Caller(id=UUID(token.sub), app=True, scopes=frozenset(str(scope).split()))
        sid = token.extras.get("sid")
        return Caller(id=UUID(token.sub), session_id=UUID(sid) if sid else None)
    except (ValueError, TypeError, AttributeError):
        return None  # a well-signed token with a malformed subject is still a 401


def bearer_token(authorization: str | None) -> str:
    """The token of an ``Authorization: Bearer <token>`` header; a 401 for anything else.

    Only the ``Bearer`` scheme (case-insensitive, RFC 9110 11.1) authenticates: Litestar's middleware
    takes whatever follows the first space, so ``Basic <jwt>`` was accepted, and it also reads a
    ``token`` cookie, which a browser would send cross-site; neither is accepted here.
    """
    scheme, _, token = (authorization or "").partition(" ")
    token = token.strip(" ")
    if scheme.lower() != "bearer" or not token or " " in token:
        raise NotAuthorizedException("send the access token as Authorization: Bearer <token>",
                                     headers={"WWW-Authenticate": CHALLENGE})
    return token


class CachedJWTMiddleware(JWTCookieAuthenticationMiddleware):
    """Litestar's JWT middleware, remembering tokens it has already verified until they expire.

    Decoding and verifying an HS256 token (PyJWT) was the largest piece of
    per-request work a read did besides the socket and the query.  A client
    sends the same token for many requests, so each worker keeps the result
    for an exact token string it verified (signature included, so only that
    very token hits) until the token's own ``exp``.  Nothing is revocable
    earlier anyway: access tokens are checked without a database round trip.
    """

    _MAX = 20_000
    _caches: dict[str, dict[str, tuple[float, AuthenticationResult]]] = {}

    async def authenticate_request(self, connection: ASGIConnection[Any, Any, Any, Any]) -> AuthenticationResult:
        token = bearer_token(connection.headers.get(self.auth_header))
        return await self.authenticate_token(encoded_token=token, connection=connection)

    async def authenticate_token(self, encoded_token: str,
                                 connection: ASGIConnection[Any, Any, Any, Any]) -> AuthenticationResult:
        cache = self._caches.setdefault(self.token_secret, {})
        hit = cache.get(encoded_token)
        if hit is not None and hit[0] > time.time():
            return hit[1]
        result = await super().authenticate_token(encoded_token, connection)
        if len(cache) >= self._MAX:
            cache.clear()  # crude but bounded; the hot tokens come back at once
        cache[encoded_token] = (result.auth.exp.timestamp(), result)
        return result


class BearerAuthenticationMiddleware(CachedJWTMiddleware):
    """Litestar's JWT middleware, plus: a token naming the external issuer goes to that issuer.

    The ``iss`` claim only chooses which key must verify the token; a token
    that claims the external issuer is never tried against our own secret.
    """

    def __init__(self, *args: Any, external: ExternalIssuer | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.external = external

    async def authenticate_token(self, encoded_token: str,
                                 connection: ASGIConnection[Any, Any, Any, Any]) -> AuthenticationResult:
        if self.external is not None and self.external.claims_token(encoded_token):
            user_id, token = await self.external.authenticate(encoded_token, connection)
            result = AuthenticationResult(user=Caller(id=user_id), auth=token)
        else:
            result = await super().authenticate_token(encoded_token, connection)
        # A deleted account's token is refused at once, on every worker (service/accounts/deleted.py).
        deleted = connection.app.state.get("deleted_accounts")
        if deleted is not None and not result.user.app:
            if not deleted.ready:  # fail closed: the set of deleted accounts is not loaded yet
                raise ServiceUnavailableException("the service is starting; try again shortly")
            if result.user.id in deleted:
                raise NotAuthorizedException("the account is deleted")
        return result


@dataclass
class BearerAuth(OAuth2PasswordBearerAuth[Caller, Token]):
    """The OAuth2 bearer config (and OpenAPI scheme) with the external issuer handed to the middleware."""

    external: ExternalIssuer | None = None
    authentication_middleware_class: type[JWTCookieAuthenticationMiddleware] = field(
        default=BearerAuthenticationMiddleware
    )

    @property
    def middleware(self) -> DefineMiddleware:
        define = super().middleware
        define.kwargs["external"] = self.external
        return define


def build_auth(settings: Settings, resolve_external: Resolver | None = None) -> BearerAuth:
    """Our own HS256 tokens; and, when configured, the external issuer's (``resolve_external`` maps
    an external identity to its account, creating it on first sight)."""
    external = ExternalIssuer.from_settings(settings, resolve_external)
    description = "Access token from POST /auth/login or /auth/token"
    if external is not None:
        description += f", or a JWT issued by {external.issuer} (audience {external.audience})"
    return BearerAuth(
        external=external,
        token_secret=settings.jwt_secret,
        token_url="/auth/token",  # noqa: S106 - a path, not a password
        retrieve_user_handler=caller_from_token,
        algorithm="HS256",
        default_token_expiration=timedelta(seconds=settings.access_token_ttl_s),
        exclude=["^/schema"],
        description=description,
    )


def issue_access_token(auth: OAuth2PasswordBearerAuth[Caller, Token], settings: Settings,
                       user_id: UUID, session_id: UUID) -> str:
    return auth.create_token(
        identifier=str(user_id),
        token_expiration=timedelta(seconds=settings.access_token_ttl_s),
        token_extras={"sid": str(session_id)},
    )


def issue_app_token(auth: OAuth2PasswordBearerAuth[Caller, Token], settings: Settings,
                    client_id: UUID, scopes: list[str]) -> str:
    """A short-lived access token for an app client: ``sub`` is the client id, ``kind`` says app."""
    return auth.create_token(
        identifier=str(client_id),
        token_expiration=timedelta(seconds=settings.app_token_ttl_s),
        token_extras={"kind": APP_TOKEN_KIND, "scope": " ".join(scopes)},
    )


async def provide_caller(request: Request[Caller, Token, Any]) -> Caller:
    """The ``caller`` dependency: the authenticated user of this request (an app token is a 403)."""
    caller = request.user
    if caller.app:
        from service.errors import Forbidden

        raise Forbidden("an app token does not act as a user; it may only post assistant messages")
    return caller


async def provide_speaker(request: Request[Caller, Token, Any]) -> Caller:
    """The ``speaker`` dependency: the authenticated user or app of this request."""
    return request.user
