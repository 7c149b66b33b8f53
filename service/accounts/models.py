"""Rows the account SQL returns, and what clients send."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from msgspec import UNSET, Meta, UnsetType

from service.errors import describe_constraints
from service.http import json_size
from service.http.names import Name, normalize_names

OnboardingStatus = Literal["incomplete", "complete", "skipped"]
Email = Annotated[str, Meta(min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
Password = Annotated[str, Meta(min_length=8, max_length=1024)]
Username = Annotated[str, Meta(pattern=r"^[A-Za-z0-9_.-]{3,32}$")]
DisplayName = Name(100)


class User(msgspec.Struct):
    """The public account: what /me returns.  No secret has a field here."""

    id: UUID
    email: str
    username: str | None
    display_name: str | None
    auth_provider: str
    """``password`` for a local account, else the external issuer's name."""
    auth_provider_id: str | None
    """The subject id at the external provider; null for a password account."""
    onboarding_status: OnboardingStatus
    preferences: dict[str, Any]
    is_active: bool
    is_verified: bool
    created_at: datetime
    updated_at: datetime
    version: int


class Credentials(msgspec.Struct):
    """What a password check needs; never leaves the service."""

    id: UUID
    password_hash: str | None
    is_active: bool


class ExternalSignIn(msgspec.Struct):
    """The account an external identity maps to; ``created`` on its first sight."""

    id: UUID
    is_active: bool
    created: bool


class SessionRotation(msgspec.Struct):
    user_id: UUID
    rotated: bool


class AuditEntry(msgspec.Struct):
    id: int
    event: str
    client_addr: str | None
    details: dict[str, Any]
    created_at: datetime


# ---- request bodies -------------------------------------------------------


class RegisterBody(msgspec.Struct, forbid_unknown_fields=True):
    email: Email
    password: Password
    username: Username | None = None
    display_name: DisplayName | None = None

    def __post_init__(self) -> None:
        normalize_names(self, "display_name")


class LoginBody(msgspec.Struct, forbid_unknown_fields=True):
    email: Annotated[str, Meta(min_length=1, max_length=254)]
    password: Annotated[str, Meta(min_length=1, max_length=1024)]


class RefreshBody(msgspec.Struct, forbid_unknown_fields=True):
    refresh_token: Annotated[str, Meta(min_length=1, max_length=200)]


class MePatch(msgspec.Struct, forbid_unknown_fields=True):
    """PATCH /me: an omitted field stays as it is; null clears a nullable one."""

    display_name: DisplayName | UnsetType | None = UNSET
    username: Username | UnsetType | None = UNSET
    preferences: Annotated[dict[str, Any], Meta(description=(
        f"a JSON object of at most {json_size.PREFERENCES_MAX} bytes as stored (jsonb)"))] | UnsetType = UNSET
    onboarding_status: OnboardingStatus | UnsetType = UNSET

    def __post_init__(self) -> None:
        if self.preferences is not UNSET:
            json_size.check("preferences", self.preferences, json_size.PREFERENCES_MAX)
        normalize_names(self, "display_name")


class PasswordChange(msgspec.Struct, forbid_unknown_fields=True):
    current_password: Annotated[str, Meta(min_length=1, max_length=1024)]
    new_password: Password


class TokenPair(msgspec.Struct):
    access_token: str
    token_type: Literal["bearer"]
    expires_in: int
    refresh_token: str


describe_constraints({
    "users_email_key": "an account with this email already exists",
    "users_username_lower_key": "this username is taken",
    "users_username_chk": "username must be 3-32 letters, digits, '_', '.' or '-'",
    "users_email_chk": "email must be a plausible address",
    "users_preferences_chk": "preferences must be a JSON object",
    "users_preferences_size_chk": f"preferences is too large (at most {json_size.PREFERENCES_MAX} bytes as stored)",
})
