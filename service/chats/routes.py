"""/chats: chats, members and roles, messages, group context.

Access goes through membership: every statement is scoped by the caller's
membership, so a chat the caller is not in is a 404 exactly like one that
does not exist.  Writes run as one scoped statement; only when it finds no
row does a second read tell a non-member (404) from a member who may not do
this (403) or a rule (409/422).  Changes of roles and membership (and chat
deletion) run in service/chats/logic.py: lock the chat, one statement, roll
back on refusal.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Response, delete, get, patch, post, put
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, JSONBody, Parameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT

from service.apps import repo as apps_repo
from service.apps.models import ASSISTANT_SCOPE
from service.chats import logic, repo
from service.chats.ledger import settle
from service.chats.models import (
    Access,
    Balances,
    Chat,
    ChatCreate,
    ChatKind,
    ChatPatch,
    ContextPut,
    GroupContext,
    Invitation,
    InvitationSent,
    LedgerEntry,
    LedgerEntryCreate,
    Member,
    MemberAdd,
    MemberPatch,
    Message,
    MessageCreate,
    MessagePatch,
    SettlementCreate,
    SpendAdd,
    Transfer,
)
from service.db.queries import Connection
from service.errors import Conflict, Forbidden, NotFound, Unauthorized, input_error, invalid
from service.http.auth import Caller
from service.http.deps import READ_REPLICA, AppSettings, Conn, CurrentCaller, IfMatch, Speaker
from service.http.etag import Stale
from service.http.openapi import problems
from service.http.pagination import Cursor, Limit, Page, decode_cursor, page

CHAT_NOT_FOUND = "chat not found"
ChatId = FromPath[UUID]
MemberId = FromPath[UUID]
EntryId = FromPath[int]
InvitationId = FromPath[UUID]
MessageId = FromPath[int]
ChatKindFilter = Annotated[ChatKind | None, Parameter(
    description="only solo chats (Phase III's conversations) or only group chats (Lattice's groups)")]
# Assistant messages are never edited or deleted through a user token (403). Letting an app token
# with scope chat:assistant correct its own replies (issue #16) is not built yet: open follow-up.
ASSISTANT_MESSAGE = "assistant messages are edited or deleted only with the app credential"


async def _message_refusal(conn: Connection, user_id: UUID, chat_id: UUID, message_id: int,
                           if_match: list[int] | None) -> Exception:
    """Why an edit or delete of a message wrote nothing: 404, 403, 409 or 412."""
    current = await repo.get_message(conn, user_id, chat_id, message_id)
    if current is None:
        return NotFound("message not found")
    if current.role == "assistant":
        return Forbidden(ASSISTANT_MESSAGE)
    if current.sender_id != user_id:
        return Forbidden("only its author can edit or delete a message")
    if current.deleted:
        return Conflict("the message was deleted")
    return Stale(current) if if_match is not None else NotFound("message not found")
FORBIDDEN = problems(403)  # routes where a member without the right role is refused
CONTEXT = {"etag": True}  # /chats/{id}/context is one resource: ETag and If-Match as for /chats/{id}


async def _access(conn: Connection, user_id: UUID, chat_id: UUID) -> Access:
    """The caller's membership, or the 404 every non-member gets."""
    access = await repo.get_access(conn, user_id, chat_id)
    if access is None:
        raise NotFound(CHAT_NOT_FOUND)
    return access


async def _post_assistant_message(conn: Connection, speaker: Caller, chat_id: UUID, data: MessageCreate) -> Message:
    """An assistant message: only an app token with scope chat:assistant, to any chat (the app acts for the
    service).  The INSERT itself joins the active, scoped client, so revocation costs no extra round trip;
    only when it wrote nothing does a second (indexed) read tell 401 / 403 / 404 apart."""
    if not speaker.app:
        raise Forbidden(f"role assistant is posted by an app credential with scope {ASSISTANT_SCOPE}, "
                        "not by a member's token")
    if ASSISTANT_SCOPE not in speaker.scopes:
        raise Forbidden(f"this app token lacks the scope {ASSISTANT_SCOPE}")
    message = await repo.post_assistant_message(conn, speaker.id, chat_id, data.content, data.thinking,
                                                data.action, data.drawer_data)
    if message is None:
        status = await apps_repo.get_app_client_status(conn, speaker.id)
        if status is None or not status.active:
            raise Unauthorized("this app credential has been revoked")
        if not status.may_post_assistant:
            raise Forbidden(f"this app client no longer holds the scope {ASSISTANT_SCOPE}")
        raise NotFound(CHAT_NOT_FOUND)
    return message


async def _stale(current: Any, not_found: str) -> Exception:
    """412 with the current representation (``current``: an awaitable read, or None), else 404."""
    row = await current if current is not None else None
    return NotFound(not_found) if row is None else Stale(row)


class ChatController(Controller):
    path = "/chats"
    tags = ["chats"]

    # ---- chats ------------------------------------------------------------

    @post("", summary="Create a solo or group chat (a group chat gets its context row)")
    async def create_chat(self, conn: Conn, caller: CurrentCaller, data: JSONBody[ChatCreate]) -> Chat:
        return await repo.create_chat(conn, caller.id, data.kind, data.title, data.member_ids)

    @get("", dependencies=READ_REPLICA, summary="The caller's chats, most recently active first")
    async def list_chats(self, conn: Conn, caller: CurrentCaller, limit: Limit = 50,
                         before: Cursor = None, kind: ChatKindFilter = None) -> Page[Chat]:
        key = decode_cursor(before, tuple[datetime, UUID])
        rows = await repo.list_chats(conn, caller.id, key[0] if key else None, key[1] if key else None, limit + 1,
                                     kind)
        return page(rows, limit, lambda row: (row.updated_at, row.id))

    @get("/{chat_id:uuid}", summary="One chat the caller is a member of")
    async def get_chat(self, conn: Conn, caller: CurrentCaller, chat_id: ChatId) -> Chat:
        chat = await repo.get_chat(conn, caller.id, chat_id)
        if chat is None:
            raise NotFound(CHAT_NOT_FOUND)
        return chat

    @patch("/{chat_id:uuid}", opt=FORBIDDEN, summary="Rename a chat (owner or admin); null clears the title")
    async def rename_chat(self, conn: Conn, caller: CurrentCaller, if_match: IfMatch, chat_id: ChatId,
                          data: JSONBody[ChatPatch]) -> Chat:
        chat = await repo.rename_chat(conn, caller.id, chat_id, data.title, if_match)
        if chat is None:
            access = await _access(conn, caller.id, chat_id)
            if access.role in ("owner", "admin") and if_match is not None:
                raise await _stale(repo.get_chat(conn, caller.id, chat_id), CHAT_NOT_FOUND)
            raise Forbidden("only the owner or an admin can rename the chat")
        return chat

    @delete("/{chat_id:uuid}", opt=FORBIDDEN, status_code=HTTP_204_NO_CONTENT,
            summary="Delete a chat with its members, messages and context (owner only)")
    async def delete_chat(self, conn: Conn, caller: CurrentCaller, if_match: IfMatch, chat_id: ChatId) -> None:
        await logic.delete_chat(conn, caller.id, chat_id, if_match)

    # ---- members ----------------------------------------------------------

    @get("/{chat_id:uuid}/members", summary="The chat's members, by user id")
    async def list_members(self, conn: Conn, caller: CurrentCaller, chat_id: ChatId, limit: Limit = 50,
                           before: Cursor = None) -> Page[Member]:
        key = decode_cursor(before, tuple[UUID])
        rows = await repo.list_members(conn, caller.id, chat_id, key[0] if key else None, limit + 1)
        if not rows:
            await _access(conn, caller.id, chat_id)
        return page(rows, limit, lambda row: (row.user_id,))

    @post("/{chat_id:uuid}/members", opt=FORBIDDEN,
          responses={HTTP_202_ACCEPTED: ResponseSpec(
              data_container=InvitationSent, generate_examples=False,
              description="Added by email: a pending invitation, the same answer whether or not an account "
                          "holds the address; the invitee accepts it in /me/invitations")},
          summary="Add a user by user_id (201, a member at once) or invite by email (202); group chats, "
                  "owner or admin")
    async def add_member(self, conn: Conn, caller: CurrentCaller, settings: AppSettings, chat_id: ChatId,
                         data: JSONBody[MemberAdd]) -> Response[Member]:
        if (data.user_id is None) == (data.email is None):
            message = "give exactly one of user_id and email"
            raise invalid(message, input_error("body", "/user_id", message, "conflicting"),
                          input_error("body", "/email", message, "conflicting"))
        if data.email is not None:
            invitation = await logic.invite_member(conn, caller.id, chat_id, data.email.lower(), data.role,
                                                   settings.invitation_ttl_s)
            return Response(invitation, status_code=HTTP_202_ACCEPTED)  # type: ignore[arg-type]
        member = await logic.add_member(conn, caller.id, chat_id, data.user_id, None, data.role)
        return Response(member, status_code=HTTP_201_CREATED)

    @patch("/{chat_id:uuid}/members/{user_id:uuid}", opt=FORBIDDEN,
           summary="Change a member's role (owner only); role owner hands the chat over")
    async def change_role(self, conn: Conn, caller: CurrentCaller, if_match: IfMatch, chat_id: ChatId,
                          user_id: MemberId, data: JSONBody[MemberPatch]) -> Member:
        return await logic.change_role(conn, caller.id, chat_id, user_id, data.role, if_match)

    @delete("/{chat_id:uuid}/members/{user_id:uuid}", opt=FORBIDDEN, status_code=HTTP_204_NO_CONTENT,
            summary="Remove a member (owner or admin) or leave (yourself); the owner cannot leave")
    async def remove_member(self, conn: Conn, caller: CurrentCaller, if_match: IfMatch, chat_id: ChatId,
                            user_id: MemberId) -> None:
        await logic.remove_member(conn, caller.id, chat_id, user_id, if_match)

    # ---- messages ---------------------------------------------------------

    @get("/{chat_id:uuid}/messages", dependencies=READ_REPLICA,
         summary="The newest messages in chronological order; next_cursor leads to older ones")
    async def list_messages(self, conn: Conn, caller: CurrentCaller, chat_id: ChatId, limit: Limit = 50,
                            before: Cursor = None) -> Page[Message]:
        key = decode_cursor(before, tuple[int])
        rows = await repo.list_messages(conn, caller.id, chat_id, key[0] if key else None, limit + 1)
        if not rows:
            await _access(conn, caller.id, chat_id)
        result = page(rows, limit, lambda row: (row.id,))  # newest first: the cursor is the oldest row
        result.items.reverse()
        return result

    @post("/{chat_id:uuid}/messages", opt=problems(401, 403),
          summary="Post a message: role user (a member's token, sent by them) or assistant (an app token "
                  "with scope chat:assistant, to any chat: the app's AI reply)")
    async def post_message(self, conn: Conn, speaker: Speaker, chat_id: ChatId,
                           data: JSONBody[MessageCreate]) -> Message:
        if data.role == "assistant":
            return await _post_assistant_message(conn, speaker, chat_id, data)
        if speaker.app:
            raise Forbidden("an app token posts role assistant messages only")
        message = await repo.post_message(conn, speaker.id, chat_id, data.content, data.thinking,
                                          data.action, data.drawer_data)
        if message is None:
            raise NotFound(CHAT_NOT_FOUND)
        return message

    @get("/{chat_id:uuid}/messages/{message_id:int}", summary="One message (a tombstone when deleted)")
    async def get_message(self, conn: Conn, caller: CurrentCaller, chat_id: ChatId,
                          message_id: MessageId) -> Message:
        message = await repo.get_message(conn, caller.id, chat_id, message_id)
        if message is None:
            raise NotFound("message not found")
        return message

    @patch("/{chat_id:uuid}/messages/{message_id:int}", opt=FORBIDDEN,
           summary="Edit the content of your own user message (marks it edited)")
    async def edit_message(self, conn: Conn, caller: CurrentCaller, if_match: IfMatch, chat_id: ChatId,
                           message_id: MessageId, data: JSONBody[MessagePatch]) -> Message:
        message = await repo.edit_message(conn, caller.id, chat_id, message_id, data.content, if_match)
        if message is None:
            raise await _message_refusal(conn, caller.id, chat_id, message_id, if_match)
        return message

    @delete("/{chat_id:uuid}/messages/{message_id:int}", opt=FORBIDDEN, status_code=HTTP_204_NO_CONTENT,
            summary="Delete your own user message: a tombstone without content stays in its place")
    async def delete_message(self, conn: Conn, caller: CurrentCaller, if_match: IfMatch, chat_id: ChatId,
                             message_id: MessageId) -> None:
        if await repo.delete_message(conn, caller.id, chat_id, message_id, if_match) is None:
            raise await _message_refusal(conn, caller.id, chat_id, message_id, if_match)

    # ---- group context ----------------------------------------------------

    @get("/{chat_id:uuid}/context", opt=CONTEXT, summary="A group chat's context (404 for a solo chat)")
    async def get_context(self, conn: Conn, caller: CurrentCaller, chat_id: ChatId) -> GroupContext:
        context = await repo.get_context(conn, caller.id, chat_id)
        if context is None:
            raise NotFound("group context not found")
        return context

    @put("/{chat_id:uuid}/context", opt=CONTEXT, summary="Replace a group chat's summary (any member)")
    async def put_context(self, conn: Conn, caller: CurrentCaller, if_match: IfMatch, chat_id: ChatId,
                          data: JSONBody[ContextPut]) -> GroupContext:
        context = await repo.set_context_summary(conn, caller.id, chat_id, data.context_summary, if_match)
        if context is None:
            raise await _stale(repo.get_context(conn, caller.id, chat_id) if if_match is not None else None,
                               "group context not found")
        return context

    @post("/{chat_id:uuid}/context/spend", status_code=HTTP_200_OK, deprecated=True,
          summary="Deprecated: use POST /chats/{id}/ledger. Records an expense paid by the caller, "
                  "shared equally by every member; returns the context")
    async def add_spend(self, conn: Conn, caller: CurrentCaller, chat_id: ChatId,
                        data: JSONBody[SpendAdd]) -> GroupContext:
        amount = Decimal(data.amount)
        if amount <= 0:
            raise invalid("amount must be greater than 0",
                          input_error("body", "/amount", "amount must be greater than 0", "too_small"))
        return await logic.add_spend(conn, caller.id, chat_id, amount)

    # ---- the split-bill ledger ----------------------------------------------

    @get("/{chat_id:uuid}/ledger",
         summary="A group chat's ledger entries with their shares, newest first (voided ones included)")
    async def list_ledger(self, conn: Conn, caller: CurrentCaller, chat_id: ChatId, limit: Limit = 50,
                          before: Cursor = None) -> Page[LedgerEntry]:
        key = decode_cursor(before, tuple[int])
        rows = await repo.list_ledger(conn, caller.id, chat_id, key[0] if key else None, limit + 1)
        if not rows and (await _access(conn, caller.id, chat_id)).chat_kind != "group":
            raise NotFound(logic.LEDGER_NOT_FOUND)
        result = page(rows, limit, lambda row: (row.id,))
        return Page(await logic.entries_with_shares(conn, caller.id, chat_id, result.items), result.next_cursor)

    @post("/{chat_id:uuid}/ledger", status_code=HTTP_201_CREATED,
          summary="Record an expense (any member): split equal (default: every member), exact or by shares")
    async def add_ledger_entry(self, conn: Conn, caller: CurrentCaller, chat_id: ChatId,
                               data: JSONBody[LedgerEntryCreate]) -> LedgerEntry:
        return await logic.add_expense(conn, caller.id, chat_id, data)

    @get("/{chat_id:uuid}/ledger/{entry_id:int}", summary="One ledger entry with its shares")
    async def get_ledger_entry(self, conn: Conn, caller: CurrentCaller, chat_id: ChatId,
                               entry_id: EntryId) -> LedgerEntry:
        row = await repo.get_ledger_entry(conn, caller.id, chat_id, entry_id)
        if row is None:
            raise NotFound("ledger entry not found")
        return (await logic.entries_with_shares(conn, caller.id, chat_id, [row]))[0]

    @post("/{chat_id:uuid}/ledger/{entry_id:int}/void", opt=FORBIDDEN, status_code=HTTP_200_OK,
          summary="Void an entry (its author, the owner or an admin); it stays visible and stops counting")
    async def void_ledger_entry(self, conn: Conn, caller: CurrentCaller, chat_id: ChatId,
                                entry_id: EntryId) -> LedgerEntry:
        return await logic.void_entry(conn, caller.id, chat_id, entry_id)

    @post("/{chat_id:uuid}/settlements", status_code=HTTP_201_CREATED,
          summary="Record a settle-up: from_user_id (default: the caller) paid to_user_id back")
    async def add_settlement(self, conn: Conn, caller: CurrentCaller, chat_id: ChatId,
                             data: JSONBody[SettlementCreate]) -> LedgerEntry:
        return await logic.add_settlement(conn, caller.id, chat_id, data)

    @get("/{chat_id:uuid}/balances",
         summary="Per person paid, owed and net, and at most n-1 transfers that settle the group "
                 "(largest debtor pays largest creditor)")
    async def get_balances(self, conn: Conn, caller: CurrentCaller, chat_id: ChatId) -> Balances:
        rows = await repo.ledger_balances(conn, caller.id, chat_id)
        if not rows or (await _access(conn, caller.id, chat_id)).chat_kind != "group":
            raise NotFound(logic.LEDGER_NOT_FOUND)
        transfers = [Transfer(a, b, amount) for a, b, amount in settle([(r.user_id, r.net) for r in rows])]
        return Balances(rows, transfers)


class InvitationController(Controller):
    """The caller's invitations to group chats (issue #18): sent to their email by an owner or admin."""

    path = "/me/invitations"
    tags = ["account"]

    @get("/", summary="Pending, unexpired invitations to the caller's email, newest first")
    async def list_my_invitations(self, conn: Conn, caller: CurrentCaller, limit: Limit = 50,
                                  before: Cursor = None) -> Page[Invitation]:
        key = decode_cursor(before, tuple[datetime, UUID])
        rows = await repo.list_invitations(conn, caller.id, key[0] if key else None, key[1] if key else None,
                                           limit + 1)
        return page(rows, limit, lambda row: (row.created_at, row.id))

    @post("/{invitation_id:uuid}/accept", status_code=HTTP_204_NO_CONTENT,
          summary="Accept: join the chat with the invitation's role (404 when it is gone or expired; 409 when "
                  "its sender is no longer an owner or admin of the chat)")
    async def accept_invitation(self, conn: Conn, caller: CurrentCaller, invitation_id: InvitationId) -> None:
        await logic.accept_invitation(conn, caller.id, invitation_id)

    @post("/{invitation_id:uuid}/decline", status_code=HTTP_204_NO_CONTENT, summary="Decline the invitation")
    async def decline_invitation(self, conn: Conn, caller: CurrentCaller, invitation_id: InvitationId) -> None:
        await logic.decline_invitation(conn, caller.id, invitation_id)
