"""Rows of the apps domain and the scopes the service knows."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import Meta

from service.errors import describe_constraints

ASSISTANT_SCOPE = "chat:assistant"
"""Posts ``role: assistant`` messages to any chat (the app's AI replies, acting for the service)."""

KNOWN_SCOPES = frozenset({ASSISTANT_SCOPE})  # app_clients_scopes_chk holds the same list

AppName = Annotated[str, Meta(pattern=r"^[a-z0-9][a-z0-9._-]{0,63}$")]


class AppClient(msgspec.Struct):
    id: UUID
    name: str
    scopes: list[str]
    created_at: datetime
    rotated_at: datetime | None
    previous_secret_expires_at: datetime | None
    revoked_at: datetime | None


class AppSecrets(msgspec.Struct):
    id: UUID
    name: str
    secret_hash: str
    previous_secret_hash: str | None
    scopes: list[str]


class AppStatus(msgspec.Struct):
    active: bool
    may_post_assistant: bool


class Rotation(msgspec.Struct):
    id: UUID
    previous_secret_expires_at: datetime


class AppToken(msgspec.Struct):
    """The client-credentials grant's answer (RFC 6749 4.4.3: no refresh token)."""

    access_token: str
    token_type: str
    expires_in: int
    scope: str


describe_constraints({
    "app_clients_name_key": "an app client with this name already exists",
    "app_clients_name_chk": "name must be 1-64 lower-case letters, digits, '.', '_' or '-'",
    "app_clients_scopes_chk": f"scopes must be among: {', '.join(sorted(KNOWN_SCOPES))}",
})
