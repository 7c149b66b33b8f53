"""One typed function per SQL file under sql/chats/ (bodies come from @sql)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from service.chats.models import (
    Access,
    BalanceRow,
    Chat,
    DeletedChat,
    GroupContext,
    HandedOver,
    Invitation,
    InvitationSent,
    LedgerEntryRow,
    LedgerShareRow,
    Member,
    Message,
)
from service.db.queries import Connection, sql


@sql("chats/create_chat")
async def create_chat(conn: Connection, owner_id: UUID, kind: str, title: str | None,
                      member_ids: list[UUID]) -> Chat: ...


@sql("chats/list_chats")
async def list_chats(conn: Connection, user_id: UUID, before_updated_at: datetime | None,
                     before_id: UUID | None, limit: int, kind: str | None) -> list[Chat]: ...


@sql("chats/get_chat")
async def get_chat(conn: Connection, user_id: UUID, chat_id: UUID) -> Chat | None: ...


@sql("chats/rename_chat")
async def rename_chat(conn: Connection, user_id: UUID, chat_id: UUID, title: str | None,
                      if_match: list[int] | None) -> Chat | None: ...


@sql("chats/delete_chat")
async def delete_chat(conn: Connection, user_id: UUID, chat_id: UUID, if_match: list[int] | None) -> UUID | None: ...


@sql("chats/get_access")
async def get_access(conn: Connection, user_id: UUID, chat_id: UUID) -> Access | None: ...


@sql("chats/get_member_role")
async def get_member_role(conn: Connection, user_id: UUID, chat_id: UUID, member_id: UUID) -> str | None: ...


@sql("chats/get_member")
async def get_member(conn: Connection, user_id: UUID, chat_id: UUID, member_id: UUID) -> Member | None: ...


@sql("chats/list_members")
async def list_members(conn: Connection, user_id: UUID, chat_id: UUID, after_user_id: UUID | None,
                       limit: int) -> list[Member]: ...


@sql("chats/add_member")
async def add_member(conn: Connection, user_id: UUID, chat_id: UUID, member_id: UUID | None,
                     email: str | None, role: str) -> Member | None: ...


@sql("chats/set_member_role")
async def set_member_role(conn: Connection, user_id: UUID, chat_id: UUID, member_id: UUID,
                          role: str, if_match: list[int] | None) -> Member | None: ...


@sql("chats/transfer_ownership")
async def transfer_ownership(conn: Connection, user_id: UUID, chat_id: UUID, member_id: UUID,
                             if_match: list[int] | None) -> Member | None: ...


@sql("chats/remove_member")
async def remove_member(conn: Connection, user_id: UUID, chat_id: UUID, member_id: UUID,
                        if_match: list[int] | None) -> UUID | None: ...


@sql("chats/list_messages")
async def list_messages(conn: Connection, user_id: UUID, chat_id: UUID, before_id: int | None,
                        limit: int) -> list[Message]: ...


@sql("chats/post_message")
async def post_message(conn: Connection, user_id: UUID, chat_id: UUID, content: str,
                       thinking: list[Any], action: str, drawer_data: dict[str, Any] | None) -> Message | None: ...


@sql("chats/post_assistant_message")
async def post_assistant_message(conn: Connection, app_client_id: UUID, chat_id: UUID, content: str,
                                 thinking: list[Any], action: str,
                                 drawer_data: dict[str, Any] | None) -> Message | None: ...


@sql("chats/get_message")
async def get_message(conn: Connection, user_id: UUID, chat_id: UUID, message_id: int) -> Message | None: ...


@sql("chats/edit_message")
async def edit_message(conn: Connection, user_id: UUID, chat_id: UUID, message_id: int, content: str,
                       if_match: list[int] | None) -> Message | None: ...


@sql("chats/delete_message")
async def delete_message(conn: Connection, user_id: UUID, chat_id: UUID, message_id: int,
                         if_match: list[int] | None) -> int | None: ...


@sql("chats/get_context")
async def get_context(conn: Connection, user_id: UUID, chat_id: UUID) -> GroupContext | None: ...


@sql("chats/set_context_summary")
async def set_context_summary(conn: Connection, user_id: UUID, chat_id: UUID,
                              context_summary: str | None, if_match: list[int] | None) -> GroupContext | None: ...


@sql("chats/add_ledger_entry")
async def add_ledger_entry(conn: Connection, user_id: UUID, chat_id: UUID, kind: str, split_kind: str,
                           payer_id: UUID, amount: Decimal, description: str, spent_on: date | None,
                           message_id: int | None, share_user_ids: list[UUID], share_weights: list[int | None],
                           share_amounts: list[Decimal]) -> LedgerEntryRow | None: ...


@sql("chats/members_among")
async def members_among(conn: Connection, user_id: UUID, chat_id: UUID, user_ids: list[UUID] | None) -> list[UUID]: ...


@sql("chats/message_in_chat")
async def message_in_chat(conn: Connection, user_id: UUID, chat_id: UUID, message_id: int) -> int | None: ...


@sql("chats/list_ledger")
async def list_ledger(conn: Connection, user_id: UUID, chat_id: UUID, before_id: int | None,
                      limit: int) -> list[LedgerEntryRow]: ...


@sql("chats/get_ledger_entry")
async def get_ledger_entry(conn: Connection, user_id: UUID, chat_id: UUID, entry_id: int) -> LedgerEntryRow | None: ...


@sql("chats/list_ledger_shares")
async def list_ledger_shares(conn: Connection, user_id: UUID, chat_id: UUID,
                             entry_ids: list[int]) -> list[LedgerShareRow]: ...


@sql("chats/void_ledger_entry")
async def void_ledger_entry(conn: Connection, user_id: UUID, chat_id: UUID, entry_id: int) -> LedgerEntryRow | None: ...


@sql("chats/ledger_balances")
async def ledger_balances(conn: Connection, user_id: UUID, chat_id: UUID) -> list[BalanceRow]: ...


@sql("chats/find_owned_chat")
async def find_owned_chat(conn: Connection, owner_id: UUID, kind: str, title: str) -> UUID | None: ...


@sql("chats/lock_chat")
async def lock_chat(conn: Connection, user_id: UUID, chat_id: UUID) -> UUID | None: ...


@sql("chats/lock_member_chats")
async def lock_member_chats(conn: Connection, user_id: UUID) -> list[UUID]: ...


@sql("chats/delete_deserted_chats")
async def delete_deserted_chats(conn: Connection, user_id: UUID) -> list[DeletedChat]: ...


@sql("chats/hand_over_owned_chats")
async def hand_over_owned_chats(conn: Connection, user_id: UUID) -> list[HandedOver]: ...


@sql("chats/invite_member")
async def invite_member(conn: Connection, user_id: UUID, chat_id: UUID, email: str, role: str,
                        ttl_seconds: int) -> InvitationSent | None: ...


@sql("chats/list_invitations")
async def list_invitations(conn: Connection, user_id: UUID, before_created_at: datetime | None,
                           before_id: UUID | None, limit: int) -> list[Invitation]: ...


@sql("chats/lock_invited_chat")
async def lock_invited_chat(conn: Connection, user_id: UUID, invitation_id: UUID) -> UUID | None: ...


@sql("chats/accept_invitation")
async def accept_invitation(conn: Connection, user_id: UUID, chat_id: UUID, invitation_id: UUID) -> UUID | None: ...


@sql("chats/decline_invitation")
async def decline_invitation(conn: Connection, user_id: UUID, invitation_id: UUID) -> UUID | None: ...
