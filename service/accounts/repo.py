"""One typed function per SQL file under sql/accounts/ (bodies come from @sql)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from service.accounts.models import AuditEntry, Credentials, ExternalSignIn, SessionRotation, User
from service.db.queries import Connection, sql


@sql("accounts/insert_user")
async def insert_user(
    conn: Connection, email: str, username: str | None, display_name: str | None, password_hash: str
) -> User: ...


@sql("accounts/upsert_external_user")
async def upsert_external_user(
    conn: Connection, auth_provider: str, auth_provider_id: str, email: str, display_name: str | None
) -> ExternalSignIn: ...


@sql("accounts/get_user")
async def get_user(conn: Connection, user_id: UUID) -> User | None: ...


@sql("accounts/get_credentials_by_email")
async def get_credentials_by_email(conn: Connection, email: str) -> Credentials | None: ...


@sql("accounts/get_credentials_by_id")
async def get_credentials_by_id(conn: Connection, user_id: UUID) -> Credentials | None: ...


@sql("accounts/set_password_hash")
async def set_password_hash(conn: Connection, user_id: UUID, verified_hash: str, new_hash: str) -> UUID | None: ...


@sql("accounts/rehash_password")
async def rehash_password(conn: Connection, user_id: UUID, verified_hash: str, new_hash: str) -> UUID | None: ...


@sql("accounts/update_profile")
async def update_profile(
    conn: Connection,
    user_id: UUID,
    set_display_name: bool,
    display_name: str | None,
    set_username: bool,
    username: str | None,
    set_preferences: bool,
    preferences: dict[str, Any] | None,
    set_onboarding: bool,
    onboarding_status: str | None,
    if_match: list[int] | None,
) -> User | None: ...


@sql("accounts/mark_user_deleted")
async def mark_user_deleted(conn: Connection, user_id: UUID, if_match: list[int] | None) -> UUID | None: ...


@sql("accounts/list_deleted_user_ids")
async def list_deleted_user_ids(conn: Connection) -> list[UUID]: ...


@sql("accounts/insert_session")
async def insert_session(
    conn: Connection, user_id: UUID, token_hash: bytes, user_agent: str | None, ttl_seconds: int
) -> UUID: ...


@sql("accounts/rotate_session")
async def rotate_session(
    conn: Connection, session_id: UUID, presented_hash: bytes, new_hash: bytes
) -> SessionRotation | None: ...


@sql("accounts/revoke_session")
async def revoke_session(conn: Connection, user_id: UUID, session_id: UUID) -> UUID | None: ...


@sql("accounts/revoke_other_sessions")
async def revoke_other_sessions(conn: Connection, user_id: UUID, keep_session_id: UUID | None) -> int: ...


@sql("accounts/insert_audit")
async def insert_audit(
    conn: Connection, user_id: UUID | None, event: str, client_addr: str | None, details: dict[str, Any]
) -> None: ...


@sql("accounts/list_audit")
async def list_audit(conn: Connection, user_id: UUID, before_id: int | None, limit: int) -> list[AuditEntry]: ...


@sql("accounts/is_known_address_by_email")
async def is_known_address_by_email(conn: Connection, email: str, address: str) -> bool: ...


@sql("accounts/is_known_address")
async def is_known_address(conn: Connection, user_id: UUID, address: str) -> bool: ...


@sql("accounts/record_known_address")
async def record_known_address(conn: Connection, user_id: UUID, address: str) -> None: ...


@sql("accounts/purge_known_addresses")
async def purge_known_addresses(conn: Connection, older_than_seconds: int, batch_size: int) -> int:
    """Retention of known sign-in addresses: forget (at most ``batch_size`` of) those unused for
    ``older_than_seconds``; the known_sign_in_addresses job runs it in batches."""
    ...
