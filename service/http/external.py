"""Bearer tokens of one configured external issuer (the Phase III app's Better Auth).

Such a token is verified here (signature with the algorithm pinned by the
key's type, ``iss``, ``aud``, ``exp``, ``nbf``) and its subject is mapped to
an account: ``(provider name, sub)`` -> user id, created on first sight by
the resolver the app passes in (accounts' ``sign_in_external``).  Only these
tokens cost a database round trip, and a small in-process cache spares most
of them.  Our own access tokens never come here.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import asyncpg
import jwt
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from litestar.connection import ASGIConnection
from litestar.exceptions import ImproperlyConfiguredException, NotAuthorizedException
from litestar.security.jwt import Token

from service.config import Settings

# (connection, provider, subject, email, display name, client address) -> user id, None if deactivated
Resolver = Callable[[asyncpg.Connection, str, str, str, str | None, str | None], Awaitable[UUID | None]]

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_READABLE_SUBJECT = re.compile(r"[a-z0-9._-]{1,64}")
CACHE_MAX_ENTRIES = 10_000


def _key_and_algorithm(settings: Settings) -> tuple[Any, str]:
    """The verification key and the one algorithm it may be used with."""
    if settings.external_auth_secret is not None:
        return settings.external_auth_secret, "HS256"
    assert settings.external_auth_public_key is not None
    try:
        key = load_pem_public_key(settings.external_auth_public_key.encode())
    except ValueError as exc:
        raise ValueError(f"EXTERNAL_AUTH_PUBLIC_KEY is not a PEM public key: {exc}") from None
    if isinstance(key, rsa.RSAPublicKey):
        if key.key_size < 2048:
            raise ValueError("EXTERNAL_AUTH_PUBLIC_KEY: RSA keys must have at least 2048 bits")
        return key, "RS256"
    if isinstance(key, ec.EllipticCurvePublicKey) and isinstance(key.curve, ec.SECP256R1):
        return key, "ES256"
    if isinstance(key, ed25519.Ed25519PublicKey):
        return key, "EdDSA"
    raise ValueError("EXTERNAL_AUTH_PUBLIC_KEY must be an RSA, P-256 or Ed25519 public key")


def placeholder_email(subject: str, provider: str) -> str:
    """The address of an identity whose token has no usable ``email`` claim.

    ``<sub>@<provider>.invalid`` when the subject is a plain lower-case id; otherwise
    (mixed case, odd characters, long) a digest of it, so two subjects never share one.
    """
    if _READABLE_SUBJECT.fullmatch(subject):
        local = subject
    else:
        local = "sub-" + hashlib.sha256(subject.encode()).hexdigest()[:40]
    return f"{local}@{provider}.invalid"


def _email(claims: dict[str, Any], subject: str, provider: str) -> str:
    email = claims.get("email")
    if isinstance(email, str):
        email = email.strip().lower()
        if len(email) <= 254 and _EMAIL.fullmatch(email):
            return email
    return placeholder_email(subject, provider)


def _display_name(claims: dict[str, Any]) -> str | None:
    name = claims.get("name")
    if isinstance(name, str) and 1 <= len(name.strip()) <= 100:
        return name.strip()
    return None


def _client_addr(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    host = connection.client.host if connection.client else None
    try:
        return str(ipaddress.ip_address(host)) if host else None
    except ValueError:
        return None


@dataclass
class _Entry:
    user_id: UUID
    expires_at: float


class UserCache:
    """(provider, subject) -> user id for a while; bounded, oldest entries go first."""

    def __init__(self, ttl_s: float, max_entries: int = CACHE_MAX_ENTRIES) -> None:
        self.ttl_s = ttl_s
        self.max_entries = max_entries
        self._entries: dict[tuple[str, str], _Entry] = {}

    def get(self, key: tuple[str, str]) -> UUID | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry.expires_at <= time.monotonic():
            del self._entries[key]
            return None
        return entry.user_id

    def put(self, key: tuple[str, str], user_id: UUID) -> None:
        if self.ttl_s <= 0:
            return
        self._entries.pop(key, None)
        while len(self._entries) >= self.max_entries:
            del self._entries[next(iter(self._entries))]
        self._entries[key] = _Entry(user_id, time.monotonic() + self.ttl_s)

    def __len__(self) -> int:
        return len(self._entries)


class ExternalIssuer:
    """Verifies the configured issuer's tokens and maps their subjects to accounts."""

    def __init__(self, settings: Settings, resolve: Resolver) -> None:
        assert settings.external_auth_issuer is not None and settings.external_auth_audience is not None
        self.issuer = settings.external_auth_issuer
        self.audience = settings.external_auth_audience
        self.provider = settings.external_auth_provider
        self.key, self.algorithm = _key_and_algorithm(settings)
        self.resolve = resolve
        self.cache = UserCache(settings.external_auth_cache_ttl_s)

    @classmethod
    def from_settings(cls, settings: Settings, resolve: Resolver | None) -> ExternalIssuer | None:
        if settings.external_auth_issuer is None:
            return None
        if resolve is None:
            raise ValueError("an external issuer is configured but no account resolver was given")
        return cls(settings, resolve)

    def claims_token(self, encoded_token: str) -> bool:
        """Does the token say it comes from this issuer?  (Unverified: it only picks the key.)"""
        try:
            claims = jwt.decode(encoded_token, options={"verify_signature": False})
        except jwt.InvalidTokenError:
            return False
        return isinstance(claims, dict) and claims.get("iss") == self.issuer

    def verify(self, encoded_token: str) -> dict[str, Any]:
        try:
            claims: dict[str, Any] = jwt.decode(
                encoded_token,
                self.key,
                algorithms=[self.algorithm],
                audience=self.audience,
                issuer=self.issuer,
                options={"require": ["exp", "iss", "aud", "sub"], "strict_aud": False},
            )
        except jwt.InvalidTokenError as exc:
            raise NotAuthorizedException("Invalid token") from exc
        subject = claims.get("sub")
        if not isinstance(subject, str) or not 1 <= len(subject) <= 255:
            raise NotAuthorizedException("Invalid token")
        return claims

    async def authenticate(self, encoded_token: str,
                           connection: ASGIConnection[Any, Any, Any, Any]) -> tuple[UUID, Token]:
        """(user id, token) of a valid token of this issuer; NotAuthorizedException otherwise."""
        claims = self.verify(encoded_token)
        subject: str = claims["sub"]
        key = (self.provider, subject)
        user_id = self.cache.get(key)
        if user_id is None:
            user_id = await self._resolve(connection, subject, claims)
            if user_id is None:
                raise NotAuthorizedException("account is deactivated")
            self.cache.put(key, user_id)
        try:
            token = Token(exp=datetime.fromtimestamp(claims["exp"], tz=UTC), sub=subject, iss=self.issuer,
                          aud=claims.get("aud"), extras={"provider": self.provider})
        except ImproperlyConfiguredException:  # expired in the last instant
            raise NotAuthorizedException("Invalid token") from None
        return user_id, token

    async def _resolve(self, connection: ASGIConnection[Any, Any, Any, Any], subject: str,
                       claims: dict[str, Any]) -> UUID | None:
        state = connection.app.state
        settings: Settings = state.settings
        async with state.pool.acquire(timeout=settings.pool_timeout_s) as conn:
            return await self.resolve(conn, self.provider, subject, _email(claims, subject, self.provider),
                                      _display_name(claims), _client_addr(connection))
