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

import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from service.chats import repo
from service.chats.ledger import largest_remainder
from service.chats.models import (
    Access,
    GroupContext,
    HandedOver,
    LedgerEntry,
    LedgerEntryCreate,
    LedgerEntryRow,
    LedgerShare,
    Member,
    SettlementCreate,
)
from service.db.queries import Connection
from service.errors import Conflict, DomainError, Forbidden, NotFound, Unprocessable, input_error
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


# ---- the group ledger -------------------------------------------------------
#
# Every ledger write locks the chat row first (like the membership changes
# above), so that the members it checks (payer, share holders) cannot leave or
# be removed before it commits, and two members' entries are recorded one
# after the other.  Shares are computed here (service/chats/ledger.py) and
# checked by the database at COMMIT (ledger_shares_sum).

LEDGER_NOT_FOUND = "group ledger not found"


def bad_field(field: str, message: str, error: type[DomainError] = Unprocessable) -> DomainError:
    """A 422 problem naming the body field at fault, shaped like a validation error: the body
    matched the schema (else it was a 400) but breaks a rule."""
    # "shares[1].user_id" -> the RFC 6901 pointer "/shares/1/user_id"
    pointer = "/" + "/".join(part.replace("~", "~0").replace("/", "~1")
                             for part in re.split(r"\.|\[(\d+)\]\.?", field) if part)
    return error(f"{field}: {message}", errors=[input_error("body", pointer, message, "invalid")])


def _positive(amount: str, field: str = "amount") -> Decimal:
    value = Decimal(amount)
    if value <= 0:
        raise bad_field(field, "must be greater than 0")
    return value


def plan_shares(data: LedgerEntryCreate, amount: Decimal) -> list[tuple[UUID, int | None, Decimal | None]]:
    """The shares the body asks for, checked for shape: (user_id, weight, amount or None = computed)."""
    seen: set[UUID] = set()
    planned: list[tuple[UUID, int | None, Decimal | None]] = []
    for i, share in enumerate(data.shares):
        if share.user_id in seen:
            raise bad_field(f"shares[{i}].user_id", "each member appears at most once")
        seen.add(share.user_id)
        if data.split_kind == "equal" and (share.amount is not None or share.weight is not None):
            raise bad_field(f"shares[{i}]", "an equal split takes user_id only")
        if data.split_kind == "exact":
            if share.amount is None or share.weight is not None:
                raise bad_field(f"shares[{i}].amount", "an exact split takes user_id and amount")
            planned.append((share.user_id, None, Decimal(share.amount)))
        elif data.split_kind == "shares":
            if share.weight is None or share.amount is not None:
                raise bad_field(f"shares[{i}].weight", "a split by shares takes user_id and weight")
            planned.append((share.user_id, share.weight, None))
        else:
            planned.append((share.user_id, 1, None))
    if data.split_kind != "equal" and not planned:
        raise bad_field("shares", f"a {data.split_kind} split lists at least one member")
    if data.split_kind == "exact":
        total = sum((a for _, _, a in planned if a is not None), Decimal(0))
        if total != amount:
            raise bad_field("shares", f"the amounts add up to {total:.2f}, not to the amount {amount:.2f}")
    return planned


async def _ledger_lock(conn: Connection, user_id: UUID, chat_id: UUID) -> None:
    await _lock(conn, user_id, chat_id)
    if (await _access(conn, user_id, chat_id)).chat_kind != "group":
        raise NotFound(LEDGER_NOT_FOUND)


async def _record(conn: Connection, user_id: UUID, chat_id: UUID, kind: str, split_kind: str, payer_id: UUID,
                  amount: Decimal, description: str, spent_on: date | None, message_id: int | None,
                  shares: Sequence[tuple[UUID, int | None, Decimal]]) -> LedgerEntry:
    row = await repo.add_ledger_entry(conn, user_id, chat_id, kind, split_kind, payer_id, amount, description,
                                      spent_on, message_id, [s[0] for s in shares], [s[1] for s in shares],
                                      [s[2] for s in shares])
    if row is None:  # the chat row is locked and the caller a member of a group: cannot happen
        raise NotFound(LEDGER_NOT_FOUND)
    return with_shares(row, [LedgerShare(u, w, a) for u, w, a in sorted(shares, key=lambda s: s[0])])


def with_shares(row: LedgerEntryRow, shares: list[LedgerShare]) -> LedgerEntry:
    return LedgerEntry(row.id, row.chat_id, row.kind, row.split_kind, row.payer_id, row.amount, row.description,
                       row.spent_on, row.message_id, row.created_by, row.voided_at, row.voided_by, row.created_at,
                       row.updated_at, row.version, shares)


async def add_expense(conn: Connection, user_id: UUID, chat_id: UUID, data: LedgerEntryCreate) -> LedgerEntry:
    """Record an expense: the payer (default: the caller) paid amount, shared as the body says."""
    amount = _positive(data.amount)
    planned = plan_shares(data, amount)
    payer = data.payer_id or user_id
    async with conn.transaction():
        await _ledger_lock(conn, user_id, chat_id)
        if data.split_kind == "equal" and not planned:
            members = await repo.members_among(conn, user_id, chat_id, None)
            planned = [(m, 1, None) for m in members]
        else:
            members = await repo.members_among(conn, user_id, chat_id, [payer] + [p[0] for p in planned])
        present = set(members)
        if payer not in present:
            raise bad_field("payer_id", "is not a member of this chat")
        for i, (member, _, _) in enumerate(planned):
            if member not in present:
                raise bad_field(f"shares[{i}].user_id", "is not a member of this chat")
        if data.message_id is not None and await repo.message_in_chat(conn, user_id, chat_id, data.message_id) is None:
            raise bad_field("message_id", "no such message in this chat")
        if data.split_kind == "exact":
            shares = [(u, w, a) for u, w, a in planned if a is not None]
        else:
            weights = [(u, w or 1) for u, w, _ in planned]
            shares = [(u, w, a) for (u, w, _), a in zip(planned, largest_remainder(amount, weights), strict=True)]
        return await _record(conn, user_id, chat_id, "expense", data.split_kind, payer, amount,
                             data.description, data.spent_on, data.message_id, shares)


async def add_settlement(conn: Connection, user_id: UUID, chat_id: UUID, data: SettlementCreate) -> LedgerEntry:
    """Record that from_user_id (default: the caller) paid to_user_id back."""
    amount = _positive(data.amount)
    payer = data.from_user_id or user_id
    async with conn.transaction():
        await _ledger_lock(conn, user_id, chat_id)
        if payer == data.to_user_id:
            raise bad_field("to_user_id", "must differ from the member who pays")
        present = set(await repo.members_among(conn, user_id, chat_id, [payer, data.to_user_id]))
        for field, member in (("from_user_id", payer), ("to_user_id", data.to_user_id)):
            if member not in present:
                raise bad_field(field, "is not a member of this chat")
        return await _record(conn, user_id, chat_id, "settlement", "exact", payer, amount, data.description,
                             data.spent_on, None, [(data.to_user_id, None, amount)])


async def add_spend(conn: Connection, user_id: UUID, chat_id: UUID, amount: Decimal) -> GroupContext:
    """The deprecated POST .../context/spend: an expense paid by the caller, shared equally by every member."""
    async with conn.transaction():
        await _ledger_lock(conn, user_id, chat_id)
        members = await repo.members_among(conn, user_id, chat_id, None)
        shares = largest_remainder(amount, [(m, 1) for m in members])
        await _record(conn, user_id, chat_id, "expense", "equal", user_id, amount, "Spend", None, None,
                      [(m, 1, a) for m, a in zip(members, shares, strict=True)])
        context = await repo.get_context(conn, user_id, chat_id)
        if context is None:
            raise NotFound("group context not found")
        return context


async def void_entry(conn: Connection, user_id: UUID, chat_id: UUID, entry_id: int) -> LedgerEntry:
    """Void a live entry (its author, the owner or an admin); it stays in the ledger."""
    async with conn.transaction():
        await _ledger_lock(conn, user_id, chat_id)
        row = await repo.void_ledger_entry(conn, user_id, chat_id, entry_id)
        if row is None:
            current = await repo.get_ledger_entry(conn, user_id, chat_id, entry_id)
            if current is None:
                raise NotFound("ledger entry not found")
            if current.voided_at is not None:
                raise Conflict("the entry is already voided")
            raise Forbidden("only the member who recorded an entry, the owner or an admin can void it")
        return (await entries_with_shares(conn, user_id, chat_id, [row]))[0]


async def entries_with_shares(conn: Connection, user_id: UUID, chat_id: UUID,
                              rows: list[LedgerEntryRow]) -> list[LedgerEntry]:
    """The rows with their shares (one query for the lot)."""
    shares: dict[int, list[LedgerShare]] = {row.id: [] for row in rows}
    if rows:
        for share in await repo.list_ledger_shares(conn, user_id, chat_id, [row.id for row in rows]):
            shares[share.entry_id].append(LedgerShare(share.user_id, share.weight, share.amount))
    return [with_shares(row, shares[row.id]) for row in rows]
