"""Rows the chat SQL returns, and what clients send."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from msgspec import Meta

from service.errors import describe_constraints
from service.http import json_size

ChatKind = Literal["solo", "group"]
MemberRole = Literal["owner", "admin", "member"]
MessageRole = Literal["user", "assistant"]
Action = Literal["card", "split", "tracker", "none"]

TITLE_MAX = 200
CONTENT_MAX = 32000
SUMMARY_MAX = 4000
Title = Annotated[str, Meta(min_length=1, max_length=TITLE_MAX, pattern=r"\S",
                            description="1-200 characters, not only whitespace")]
Content = Annotated[str, Meta(min_length=1, max_length=CONTENT_MAX)]
Summary = Annotated[str, Meta(max_length=SUMMARY_MAX)]
# A string so that no float ever carries money: digits, at most two decimals, below 10^10.
Money = Annotated[str, Meta(pattern=r"^(0|[1-9][0-9]{0,9})(\.[0-9]{1,2})?$",
                            description='decimal string, at most two decimals, e.g. "12.50"',
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
    id: int
    sender_id: UUID | None
    role: MessageRole
    content: str
    thinking: list[Any]
    action: Action
    drawer_data: dict[str, Any] | None
    created_at: datetime


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


class ChatPatch(msgspec.Struct, forbid_unknown_fields=True):
    """PATCH /chats/{id}: null clears the title (the next user message names the chat again)."""

    title: Title | None


class MemberAdd(msgspec.Struct, forbid_unknown_fields=True):
    """Exactly one of user_id and email."""

    user_id: UUID | None = None
    email: Email | None = None
    role: Literal["admin", "member"] = "member"


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


class ContextPut(msgspec.Struct, forbid_unknown_fields=True):
    context_summary: Summary | None


class SpendAdd(msgspec.Struct, forbid_unknown_fields=True):
    amount: Money


describe_constraints({
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
    "messages_thinking_chk": "thinking must be a JSON array",
    "messages_action_chk": "action must be card, split, tracker or none",
    "messages_drawer_data_chk": "drawer_data must be a JSON object or null",
    "messages_thinking_size_chk": f"thinking is too large (at most {json_size.THINKING_MAX} bytes as stored)",
    "messages_thinking_items_chk": "thinking has at most 100 steps",
    "messages_drawer_data_size_chk": f"drawer_data is too large (at most {json_size.DRAWER_DATA_MAX} bytes as stored)",
    "group_contexts_context_summary_chk": f"context_summary must be at most {SUMMARY_MAX} characters",
    "group_contexts_total_spend_chk": "total_spend cannot be negative",
})
