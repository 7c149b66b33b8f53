"""Refresh tokens: ``<session id>.<random secret>``; only the secret's SHA-256 is stored."""

from __future__ import annotations

import hashlib
import secrets
from uuid import UUID

from service.errors import Unauthorized


def new_secret() -> tuple[str, bytes]:
    """A fresh secret and its hash."""
    secret = secrets.token_urlsafe(32)
    return secret, hash_secret(secret)


def hash_secret(secret: str) -> bytes:
    return hashlib.sha256(secret.encode()).digest()


def format_refresh_token(session_id: UUID, secret: str) -> str:
    return f"{session_id}.{secret}"


def parse_refresh_token(token: str) -> tuple[UUID, bytes]:
    """(session id, hash of the secret); a malformed token is the same 401 as a wrong one."""
    session_part, _, secret = token.partition(".")
    try:
        session_id = UUID(session_part)
    except ValueError:
        raise Unauthorized("invalid refresh token") from None
    if not secret:
        raise Unauthorized("invalid refresh token")
    return session_id, hash_secret(secret)
