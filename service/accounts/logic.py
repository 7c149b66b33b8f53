"""Account flows that take several statements, each in one transaction.

This is the accounts domain's one door to the others: a new account gets
the rows other domains create for every user (``on_user_created``).
"""

from __future__ import annotations

from uuid import UUID

from service.accounts import repo
from service.accounts.models import User
from service.accounts.passwords import Passwords
from service.accounts.tokens import format_refresh_token, new_secret, parse_refresh_token
from service.chats import logic as chats_logic
from service.config import Settings
from service.db.queries import Connection
from service.errors import Conflict, Forbidden, Unauthorized
from service.expenses import repo as expenses_repo
from service.http.etag import missing_or_stale

INVALID_LOGIN = "invalid email or password"


async def on_user_created(conn: Connection, user_id: UUID) -> None:
    """Rows every new account gets from other domains, inside the creating transaction."""
    await expenses_repo.create_default_categories(conn, user_id)


async def delete_account(conn: Connection, user_id: UUID, client_addr: str | None,
                         if_match: list[int] | None = None) -> None:
    """Delete an account in one transaction: its group chats are handed over first (solo chats
    and groups nobody else is in are deleted), then the account is marked deleted, its sessions,
    known sign-in addresses and idempotency keys are deleted, and every worker is notified (at
    COMMIT) to refuse its access tokens.  The row and what cascades from it (its messages in
    others' chats stay, sender_id NULL) go with the account_purge job (README, "Account deletion")."""
    async with conn.transaction():
        await chats_logic.hand_over_owned_chats(conn, user_id)  # one audit row per group handed over
        if await repo.mark_user_deleted(conn, user_id, if_match) is None:  # a refusal rolls the hand-over back too
            raise await missing_or_stale(if_match, repo.get_user(conn, user_id), "account not found")
        # user_id NULL: the account is going; details keep which one it was.
        await repo.insert_audit(conn, None, "account_delete", client_addr, {"user_id": str(user_id)})


async def register(conn: Connection, passwords: Passwords, *, email: str, password: str,
                   username: str | None, display_name: str | None, client_addr: str | None) -> User:
    password_hash = await passwords.hash(password)
    async with conn.transaction():
        user = await repo.insert_user(conn, email.lower(), username, display_name, password_hash)
        await on_user_created(conn, user.id)
        await repo.insert_audit(conn, user.id, "register", client_addr, {})
    return user


async def sign_in_external(conn: Connection, provider: str, subject: str, email: str,
                           display_name: str | None, client_addr: str | None) -> UUID | None:
    """The account of an external identity, created on first sight; None when it is deactivated.

    Creation, the default rows of other domains and the audit row share one transaction.
    An email already held by another account (a password account, say) is a 409: accounts
    are never merged by email, since the external issuer's email is not proof of ownership.
    """
    async with conn.transaction():
        found = await repo.upsert_external_user(conn, provider, subject, email, display_name)
        if found.created:
            await on_user_created(conn, found.id)
            await repo.insert_audit(conn, found.id, "register", client_addr, {"provider": provider})
    return found.id if found.is_active else None


async def check_password(conn: Connection, passwords: Passwords, email: str, password: str,
                         client_addr: str | None) -> UUID:
    """The user id for a correct email and password of an active account; else one 401 for all cases."""
    creds = await repo.get_credentials_by_email(conn, email.lower())
    ok = await passwords.verify(creds.password_hash if creds else None, password)
    if creds is None or not ok or not creds.is_active:
        reason = "unknown_email" if creds is None else ("inactive" if ok else "bad_password")
        await repo.insert_audit(conn, creds.id if creds else None, "login_failed", client_addr,
                                {"reason": reason})
        raise Unauthorized(INVALID_LOGIN)
    if creds.password_hash and passwords.needs_rehash(creds.password_hash):
        # Compare-and-set on the verified hash: a password change committed since the read wins,
        # and the old password is never written back over it.
        await repo.rehash_password(conn, creds.id, creds.password_hash, await passwords.hash(password))
    return creds.id


async def open_session(conn: Connection, settings: Settings, user_id: UUID, user_agent: str | None,
                       client_addr: str | None, known_address: str | None = None) -> tuple[UUID, str]:
    """A new sign-in session: (session id, refresh token).  ``known_address`` (the address the
    sign-in throttle counted) is recorded as one this account signs in from."""
    secret, secret_hash = new_secret()
    async with conn.transaction():
        session_id = await repo.insert_session(conn, user_id, secret_hash, user_agent,
                                               settings.refresh_token_ttl_s)
        if known_address:
            await repo.record_known_address(conn, user_id, known_address)
        await repo.insert_audit(conn, user_id, "login", client_addr, {"session_id": str(session_id)})
    return session_id, format_refresh_token(session_id, secret)


async def rotate(conn: Connection, refresh_token: str, client_addr: str | None) -> tuple[UUID, UUID, str]:
    """Exchange a refresh token for a new one: (user id, session id, new refresh token).

    A token that was already rotated away is a reuse: the session is revoked
    (by the same statement) and the caller gets the same 401 as for a bad token.
    """
    session_id, presented = parse_refresh_token(refresh_token)
    secret, secret_hash = new_secret()
    result = await repo.rotate_session(conn, session_id, presented, secret_hash)
    if result is None:
        raise Unauthorized("invalid refresh token")
    if not result.rotated:
        await repo.insert_audit(conn, result.user_id, "token_reuse", client_addr,
                                {"session_id": str(session_id)})
        raise Unauthorized("invalid refresh token")
    return result.user_id, session_id, format_refresh_token(session_id, secret)


async def change_password(conn: Connection, passwords: Passwords, user_id: UUID, session_id: UUID | None,
                          current: str, new: str, client_addr: str | None) -> None:
    creds = await repo.get_credentials_by_id(conn, user_id)
    if creds is None or not creds.is_active:
        raise Unauthorized("the account is deleted or deactivated")  # its token outlived it (issue #18)
    if creds.password_hash is None or not await passwords.verify(creds.password_hash, current):
        if creds is not None:
            await repo.insert_audit(conn, user_id, "password_check_failed", client_addr, {"route": "POST /me/password"})
        raise Forbidden("current password is wrong")
    new_hash = await passwords.hash(new)
    async with conn.transaction():
        # Compare-and-set on the hash just verified: of two changes that both verified the same
        # current password, the second finds another hash and changes (and revokes) nothing.
        if await repo.set_password_hash(conn, user_id, creds.password_hash, new_hash) is None:
            raise Conflict("the password was changed meanwhile; sign in with the new one")
        revoked = await repo.revoke_other_sessions(conn, user_id, session_id)
        await repo.insert_audit(conn, user_id, "password_change", client_addr,
                                {"other_sessions_revoked": revoked})
