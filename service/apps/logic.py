"""App credential flows: create, rotate, revoke (CLI) and the client-credentials grant.

Secrets are 256-bit random strings shown once; only their argon2id hash is stored
(the same hasher as passwords, off the event loop).  Every create, rotation,
revocation and token issuance writes an audit row (``user_id`` NULL, details name
the client), in the transaction of the change it records.
"""

from __future__ import annotations

import secrets
from typing import Any
from uuid import UUID

from service.accounts import repo as accounts_repo
from service.accounts.passwords import Passwords
from service.apps import repo
from service.apps.models import KNOWN_SCOPES, AppClient
from service.db.queries import Connection
from service.errors import BadRequest, InputError, Unauthorized, input_error

INVALID_CLIENT = "invalid client credentials"


def new_client_secret() -> str:
    return secrets.token_urlsafe(32)


def _details(client_id: UUID, name: str, **more: Any) -> dict[str, Any]:
    return {"app_client_id": str(client_id), "name": name, **more}


async def create_client(conn: Connection, passwords: Passwords, name: str,
                        scopes: list[str]) -> tuple[AppClient, str]:
    """A new client and its secret (shown once)."""
    unknown = sorted(set(scopes) - KNOWN_SCOPES)
    if unknown:
        raise BadRequest(f"unknown scope(s): {', '.join(unknown)}; known: {', '.join(sorted(KNOWN_SCOPES))}")
    secret = new_client_secret()
    secret_hash = await passwords.hash(secret)
    async with conn.transaction():
        client = await repo.insert_app_client(conn, name, secret_hash, sorted(set(scopes)))
        await accounts_repo.insert_audit(conn, None, "app_client_create", None,
                                         _details(client.id, name, scopes=client.scopes))
    return client, secret


async def rotate_secret(conn: Connection, passwords: Passwords, name: str,
                        grace_seconds: int) -> tuple[UUID, str, Any]:
    """A new secret for an active client; the previous one stays valid for ``grace_seconds``.
    (client id, new secret, previous secret's expiry)."""
    secret = new_client_secret()
    secret_hash = await passwords.hash(secret)
    async with conn.transaction():
        rotation = await repo.rotate_app_secret(conn, name, secret_hash, grace_seconds)
        if rotation is None:
            raise LookupError(f"no active app client named {name!r}")
        await accounts_repo.insert_audit(
            conn, None, "app_secret_rotate", None,
            _details(rotation.id, name, previous_valid_until=rotation.previous_secret_expires_at.isoformat()))
    return rotation.id, secret, rotation.previous_secret_expires_at


async def revoke_client(conn: Connection, name: str) -> UUID:
    async with conn.transaction():
        client_id = await repo.revoke_app_client(conn, name)
        if client_id is None:
            raise LookupError(f"no active app client named {name!r}")
        await accounts_repo.insert_audit(conn, None, "app_client_revoke", None, _details(client_id, name))
    return client_id


async def authenticate_client(conn: Connection, passwords: Passwords, client_id: str, client_secret: str,
                              requested_scope: str | None, client_addr: str | None) -> tuple[UUID, list[str]]:
    """(client id, granted scopes) for a correct id and secret of an active client; one 401 otherwise.

    An unknown or malformed id still runs one argon2 verification, so the answer takes the
    same time.  The granted scopes are the requested ones (space-separated, RFC 6749 3.3),
    each of which the client must hold (else 400), or all of the client's when none is asked.
    """
    try:
        parsed: UUID | None = UUID(client_id)
    except ValueError:
        parsed = None
    found = await repo.get_app_client_secrets(conn, parsed) if parsed is not None else None
    ok = await passwords.verify(found.secret_hash if found else None, client_secret)
    if found is not None and not ok and found.previous_secret_hash is not None:
        ok = await passwords.verify(found.previous_secret_hash, client_secret)  # rotation grace period
    if found is None or not ok:
        raise Unauthorized(INVALID_CLIENT, error="invalid_client")
    granted = found.scopes
    if requested_scope is not None and requested_scope.strip():
        asked = sorted(set(requested_scope.split()))
        missing = [s for s in asked if s not in found.scopes]
        if missing:
            detail = f"scope: not granted to this client: {', '.join(missing)}"
            raise InputError(detail, error="invalid_scope",
                             errors=[input_error("body", "/scope", detail, "not_allowed")])
        granted = asked
    await accounts_repo.insert_audit(conn, None, "app_token_issue", client_addr,
                                     _details(found.id, found.name, scopes=granted))
    return found.id, granted
