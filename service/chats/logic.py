"""Chat work that takes several statements in one transaction.

Ownership lives in one place, ``chat_members.role = 'owner'``, and the
database checks at every COMMIT that a chat has exactly one owner (the
deferred ``chats_one_owner`` triggers, migration 0110).  Every change of
roles or membership first locks the chat's row (``chats/lock_chat``; several
chats: ``chats/lock_member_chats``, in id order), then runs one statement
that reads the state the previous change left; when that statement finds
nothing to do, the transaction rolls back and the caller gets a 4xx, so a
refusal never commits half a change.

``hand_over_owned_chats`` is the chats domain's door for account deletion:
it runs inside the caller's open transaction, whatever that transaction
then does with the account row (delete it now, or mark it deleted).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from service.chats import repo
from service.chats.models import Access, HandedOver, Member
from service.db.queries import Connection
from service.errors import Conflict, Forbidden, NotFound, Unprocessable
from service.http.etag import Stale

CHAT_NOT_FOUND = "chat not found"


async def _access(conn: Connection, user_id: UUID, chat_id: UUID) -> Access:
    """The caller's membership, or the 404 every non-member gets."""
    access = await repo.get_access(conn, user_id, chat_id)
    if access is None:
        raise NotFound(CHAT_NOT_FOUND)
    return access


async def _lock(conn: Connection, user_id: UUID, chat_id: UUID) -> None:
    if await repo.lock_chat(conn, user_id, chat_id) is None:
        raise NotFound(CHAT_NOT_FOUND)


async def hand_over_owned_chats(conn: Connection, user_id: UUID) -> list[HandedOver]:
    """The user leaves every chat, inside the caller's open transaction.

    Locks the user's chats in id order; deletes the chats only the user is in
    (solo chats, and groups with no other member); hands each other group the
    user owns to its longest-standing admin, else its longest-standing member
    (one ``chat_owner_handover`` audit row each); deletes the user's
    memberships.  Messages stay (the account row's deletion sets their
    sender_id NULL).  Returns the hand-overs, in chat id order.
    """
    if not conn.is_in_transaction():
        raise RuntimeError("hand_over_owned_chats runs inside the caller's transaction")
    await repo.lock_member_chats(conn, user_id)
    await repo.delete_deserted_chats(conn, user_id)
    return await repo.hand_over_owned_chats(conn, user_id)


async def add_member(conn: Connection, user_id: UUID, chat_id: UUID, member_id: UUID | None,
                     email: str | None, role: str) -> Member:
    async with conn.transaction():
        await _lock(conn, user_id, chat_id)
        member = await repo.add_member(conn, user_id, chat_id, member_id, email, role)
        if member is None:
            access = await _access(conn, user_id, chat_id)
            if access.role not in ("owner", "admin"):
                raise Forbidden("only the owner or an admin can add members")
            if access.chat_kind != "group":
                raise Unprocessable("a solo chat has no member but its owner")
            raise Unprocessable("user not found")
        return member


async def _stale(current: Any, not_found: str) -> Exception:
    """412 with the current representation (``current``: an awaitable read, or None), else 404."""
    row = await current if current is not None else None
    return NotFound(not_found) if row is None else Stale(row)


async def change_role(conn: Connection, user_id: UUID, chat_id: UUID, member_id: UUID, role: str,
                      if_match: list[int] | None = None) -> Member:
    """Role owner hands the chat over (the caller becomes admin); admin | member promotes or demotes."""
    async with conn.transaction():
        await _lock(conn, user_id, chat_id)
        if role == "owner":
            member = await repo.transfer_ownership(conn, user_id, chat_id, member_id, if_match)
        else:
            member = await repo.set_member_role(conn, user_id, chat_id, member_id, role, if_match)
        if member is None:
            access = await _access(conn, user_id, chat_id)
            if access.role != "owner":
                raise Forbidden("only the owner can change roles")
            if member_id == user_id:
                raise Conflict("the owner keeps the owner role until they make another member the owner")
            raise await _stale(repo.get_member(conn, user_id, chat_id, member_id) if if_match is not None else None,
                               "member not found")
        return member


async def remove_member(conn: Connection, user_id: UUID, chat_id: UUID, member_id: UUID,
                        if_match: list[int] | None = None) -> None:
    """Remove a member (owner or admin) or leave (yourself); nobody removes the owner."""
    async with conn.transaction():
        await _lock(conn, user_id, chat_id)
        if await repo.remove_member(conn, user_id, chat_id, member_id, if_match) is not None:
            return
        target = await repo.get_member(conn, user_id, chat_id, member_id)
        if target is None:
            await _access(conn, user_id, chat_id)
            raise NotFound("member not found")
        if target.role == "owner" and member_id == user_id:
            raise Conflict("the owner cannot leave: make another member the owner first, or delete the chat")
        if if_match is not None and target.role != "owner" and (
                member_id == user_id or (await _access(conn, user_id, chat_id)).role in ("owner", "admin")):
            raise Stale(target)
        raise Forbidden("only the owner or an admin can remove other members, and nobody removes the owner")


async def delete_chat(conn: Connection, user_id: UUID, chat_id: UUID, if_match: list[int] | None = None) -> None:
    async with conn.transaction():
        await _lock(conn, user_id, chat_id)
        if await repo.delete_chat(conn, user_id, chat_id, if_match) is None:
            access = await _access(conn, user_id, chat_id)
            if access.role == "owner" and if_match is not None:
                raise await _stale(repo.get_chat(conn, user_id, chat_id), CHAT_NOT_FOUND)
            raise Forbidden("only the owner can delete the chat")
