"""Rows the chat SQL returns, and what clients send."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from msgspec import Meta

from service.errors import describe_constraints
from service.http import json_size
from service.http.names import Name, normalize_names

ChatKind = Literal["solo", "group"]
MemberRole = Literal["owner", "admin", "member"]
MessageRole = Literal["user", "assistant"]
Action = Literal["card", "split", "tracker", "none"]

TITLE_MAX = 200
CONTENT_MAX = 32000
SUMMARY_MAX = 4000
Title = Name(TITLE_MAX)
Content = Annotated[str, Meta(min_length=1, max_length=CONTENT_MAX)]
Summary = Annotated[str, Meta(max_length=SUMMARY_MAX)]
# A string so that no float ever carries money: digits, at most two decimals, below 10^10.
Money = Annotated[str, Meta(pattern=r"^(0|[1-9][0-9]{0,9})(\.[0-9]{1,2})?$",
                            description='decimal string, at most two decimals, e.g. "12.50"',
                            examples=["12.50"])]
# Money above zero, in the schema itself ("0", "0.00" are refused as bad input, not as a rule).
PositiveMoney = Annotated[str, Meta(pattern=r"^(0\.(0[1-9]|[1-9][0-9]?)|[1-9][0-9]{0,9}(\.[0-9]{1,2})?)$",
                                    description='decimal string above 0, at most two decimals, e.g. "12.50"',
                                    examples=["12.50"])]
Email = Annotated[str, Meta(min_length=3, max_length=254)]


class Chat(msgspec.Struct):
    """A chat as its members see it (GET /chats lists these)."""

    id: UUID
    kind: ChatKind
    owner_id: UUID
    title: str | None
    my_role: MemberRole
    member_count: int
    last_message_id: int | None
    last_message_role: MessageRole | None
    last_message_preview: str | None
    last_message_at: datetime | None
    created_at: datetime
    updated_at: datetime
    version: int


class HandedOver(msgspec.Struct):
    """A group chat handed to a new owner when its owner's account goes."""

    chat_id: UUID
    new_owner_id: UUID
    previous_role: MemberRole
    memberships_left: int


class DeletedChat(msgspec.Struct):
    id: UUID
    kind: ChatKind


class Access(msgspec.Struct):
    role: MemberRole
    chat_kind: ChatKind


class Member(msgspec.Struct):
    user_id: UUID
    display_name: str | None
    username: str | None
    role: MemberRole
    joined_at: datetime
    version: int


class Message(msgspec.Struct):
    """A message.  edited_at: the author edited the content (the "edited" marker).  deleted: a
    tombstone, in its place in the chat, with content null, thinking empty, drawer_data null."""

    id: int
    sender_id: UUID | None
    role: MessageRole
    content: str | None
    thinking: list[Any]
    action: Action
    drawer_data: dict[str, Any] | None
    created_at: datetime
    updated_at: datetime
    edited_at: datetime | None
    deleted: bool
    version: int


LedgerKind = Literal["expense", "settlement"]
SplitKind = Literal["equal", "exact", "shares"]
BalanceStatus = Literal["member", "former", "deleted"]
DESCRIPTION_MAX = 200
Description = Annotated[str, Meta(min_length=1, max_length=DESCRIPTION_MAX, pattern=r"\S",
                                  description="1-200 characters, not only whitespace")]
Weight = Annotated[int, Meta(ge=1, le=1000, description="number of shares (split shares)")]
MessageId = Annotated[int, Meta(ge=1)]
SHARES_MAX = 100


class LedgerEntryRow(msgspec.Struct):
    """A ledger entry as the SQL returns it (without its shares)."""

    id: int
    chat_id: UUID
    kind: LedgerKind
    split_kind: SplitKind
    payer_id: UUID | None
    amount: Decimal
    description: str
    spent_on: date
    message_id: int | None
    created_by: UUID | None
    voided_at: datetime | None
    voided_by: UUID | None
    created_at: datetime
    updated_at: datetime
    version: int


class LedgerShareRow(msgspec.Struct):
    entry_id: int
    user_id: UUID | None
    weight: int | None
    amount: Decimal


class LedgerShare(msgspec.Struct):
    """Who owes what of an entry; user_id null: a deleted account."""

    user_id: UUID | None
    weight: int | None
    amount: Decimal


class LedgerEntry(msgspec.Struct):
    """A ledger entry with its shares (they add up to amount).  payer_id null: a deleted account;
    voided_at set: a corrected entry, still shown, no longer counted."""

    id: int
    chat_id: UUID
    kind: LedgerKind
    split_kind: SplitKind
    payer_id: UUID | None
    amount: Decimal
    description: str
    spent_on: date
    message_id: int | None
    created_by: UUID | None
    voided_at: datetime | None
    voided_by: UUID | None
    created_at: datetime
    updated_at: datetime
    version: int
    shares: list[LedgerShare]


class BalanceRow(msgspec.Struct):
    """One person's balance: net > 0 is owed money, net < 0 owes money.  status former: left or
    was removed; deleted: the account is gone (user_id null, all deleted accounts together)."""

    user_id: UUID | None
    display_name: str | None
    status: BalanceStatus
    paid: Decimal
    owed: Decimal
    net: Decimal


class Transfer(msgspec.Struct):
    """from_user_id pays to_user_id amount (null: a deleted account)."""

    from_user_id: UUID | None
    to_user_id: UUID | None
    amount: Decimal


class Balances(msgspec.Struct):
    members: list[BalanceRow]
    transfers: list[Transfer]


class GroupContext(msgspec.Struct):
    chat_id: UUID
    context_summary: str | None
    total_spend: Decimal
    last_activity_at: datetime
    created_at: datetime
    updated_at: datetime
    version: int


# ---- request bodies -------------------------------------------------------


class ChatCreate(msgspec.Struct, forbid_unknown_fields=True):
    kind: ChatKind
    title: Title | None = None
    member_ids: Annotated[list[UUID], Meta(max_length=100)] = []

    def __post_init__(self) -> None:
        normalize_names(self, "title")

class ChatPatch(msgspec.Struct, forbid_unknown_fields=True):
    """PATCH /chats/{id}: null clears the title (the next user message names the chat again)."""

    title: Title | None

    def __post_init__(self) -> None:
        normalize_names(self, "title")

class MemberAdd(msgspec.Struct, forbid_unknown_fields=True):
    """Exactly one of user_id and email."""

    user_id: UUID | None = None
    email: Email | None = None
    role: Literal["admin", "member"] = "member"


class InvitationSent(msgspec.Struct):
    """The 202 answer to adding a member by email: a pending invitation, the same whether or not an
    account holds the address (issue #18: no endpoint tells which emails are registered)."""

    id: UUID
    chat_id: UUID
    email: str
    role: Literal["admin", "member"]
    status: Literal["pending"]
    created_at: datetime
    expires_at: datetime


class Invitation(msgspec.Struct):
    """A pending invitation to the caller (GET /me/invitations); accept or decline it by id."""

    id: UUID
    chat_id: UUID
    chat_title: str | None
    role: Literal["admin", "member"]
    invited_by: UUID | None
    inviter_name: str | None
    created_at: datetime
    expires_at: datetime


class MemberPatch(msgspec.Struct, forbid_unknown_fields=True):
    """role owner hands the chat over: the caller becomes an admin."""

    role: MemberRole


class MessageCreate(msgspec.Struct, forbid_unknown_fields=True):
    content: Content
    role: MessageRole = "user"
    thinking: Annotated[list[Any], Meta(max_length=100, description=(
        f"up to 100 steps, each at most {json_size.THINKING_ITEM_MAX} bytes and all at most "
        f"{json_size.THINKING_MAX} bytes as stored (jsonb; service/http/json_size.py)"))] = []
    action: Action = "none"
    drawer_data: Annotated[dict[str, Any], Meta(description=(
        f"at most {json_size.DRAWER_DATA_MAX} bytes as stored (jsonb)"))] | None = None

    def __post_init__(self) -> None:
        for i, step in enumerate(self.thinking):
            json_size.check(f"thinking[{i}]", step, json_size.THINKING_ITEM_MAX)
        json_size.check("thinking", self.thinking, json_size.THINKING_MAX)
        json_size.check("drawer_data", self.drawer_data, json_size.DRAWER_DATA_MAX)


class MessagePatch(msgspec.Struct, forbid_unknown_fields=True):
    """PATCH /chats/{id}/messages/{message_id}: the new content of the caller's own user message."""

    content: Content


class ContextPut(msgspec.Struct, forbid_unknown_fields=True):
    context_summary: Summary | None


class SpendAdd(msgspec.Struct, forbid_unknown_fields=True):
    amount: Money


class LedgerShareIn(msgspec.Struct, forbid_unknown_fields=True):
    """split equal: user_id only; exact: user_id and amount; shares: user_id and weight."""

    user_id: UUID
    amount: Money | None = None
    weight: Weight | None = None


class LedgerEntryCreate(msgspec.Struct, forbid_unknown_fields=True):
    """An expense.  payer_id defaults to the caller; shares default (split equal) to every member."""

    description: Description
    amount: PositiveMoney
    split_kind: SplitKind = "equal"
    payer_id: UUID | None = None
    spent_on: date | None = None
    message_id: MessageId | None = None
    shares: Annotated[list[LedgerShareIn], Meta(max_length=SHARES_MAX)] = []


class SettlementCreate(msgspec.Struct, forbid_unknown_fields=True):
    """from_user_id (default: the caller) paid to_user_id back."""

    to_user_id: UUID
    amount: PositiveMoney
    from_user_id: UUID | None = None
    description: Description = "Settle up"
    spent_on: date | None = None


describe_constraints({
    "ledger_entries_amount_chk": "amount must be greater than 0",
    "ledger_entries_description_chk": f"description must be 1-{DESCRIPTION_MAX} characters",
    "ledger_shares_amount_chk": "a share cannot be negative",
    "ledger_shares_weight_chk": "weight must be 1-1000",
    "ledger_shares_chat_id_entry_id_user_id_key": "each member has at most one share of an entry",
    "ledger_shares_sum": "the shares of an entry must add up to its amount",
    "ledger_entries_payer_id_fkey": "payer not found",
    "ledger_shares_user_id_fkey": "user not found",
    "ledger_entries_message_id_fkey": "message not found",

    "chats_title_chk": f"title must be 1-{TITLE_MAX} characters and not only whitespace",
    "chats_kind_chk": "kind must be solo or group",
    "chat_members_pkey": "this user is already a member of the chat",
    "chat_members_user_id_fkey": "user not found",
    "chat_members_solo_owner_chk": "a solo chat has no member but its owner",
    "chat_members_role_chk": "role must be owner, admin or member",
    "chat_members_chat_id_owner_excl": "a chat has exactly one owner",
    "chats_one_owner": "a concurrent change left the chat without exactly one owner; try again",
    "messages_role_chk": "role must be user or assistant",
    "messages_sender_chk": "an assistant message has no sender",
    "messages_content_chk": f"content must be 1-{CONTENT_MAX} characters",
    "messages_tombstone_chk": "a deleted message has no content",
    "messages_thinking_chk": "thinking must be a JSON array",
    "messages_action_chk": "action must be card, split, tracker or none",
    "messages_drawer_data_chk": "drawer_data must be a JSON object or null",
    "messages_thinking_size_chk": f"thinking is too large (at most {json_size.THINKING_MAX} bytes as stored)",
    "messages_thinking_items_chk": "thinking has at most 100 steps",
    "messages_drawer_data_size_chk": f"drawer_data is too large (at most {json_size.DRAWER_DATA_MAX} bytes as stored)",
    "group_contexts_context_summary_chk": f"context_summary must be at most {SUMMARY_MAX} characters",
    "group_contexts_total_spend_chk": "total_spend cannot be negative",
})
