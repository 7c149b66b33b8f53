"""/auth and /me: sign-up, sign-in, sessions, the caller's own account."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import JSONBody
from litestar.security.jwt import OAuth2PasswordBearerAuth, Token
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from service.accounts import logic, repo
from service.accounts.models import (
    AuditEntry,
    LoginBody,
    MePatch,
    PasswordChange,
    RefreshBody,
    RegisterBody,
    TokenPair,
    User,
)
from service.accounts.passwords import Passwords
from service.apps import grant
from service.apps import logic as apps_logic
from service.apps.grant import TokenRequest
from service.apps.models import AppToken
from service.errors import NotFound
from service.http.auth import PUBLIC, Caller, issue_access_token, issue_app_token
from service.http.deps import AppSettings, Conn, CurrentCaller, IfMatch, client_addr
from service.http.etag import missing_or_stale
from service.http.openapi import problems
from service.http.pagination import Cursor, Limit, Page, decode_cursor, page
from service.http.patch import given
from service.ratelimit.login import count_login_attempt, count_password_check, count_registration

PasswordHasher = NamedDependency[Passwords]
SINGLE_RESOURCE = {"etag": True}  # /me has no id in its path: ETag/If-Match apply all the same


def _user_agent(request: Request[Any, Any, Any]) -> str | None:
    agent = request.headers.get("user-agent")
    return agent[:512] if agent else None


def _throttle_address(request: Request[Any, Any, Any]) -> str | None:
    """The client address the password-attempt limits count (the peer; a proxy's address behind one)."""
    host = request.client.host if request.client else None
    return host[:100] if host else None


def _token_pair(request: Request[Any, Any, Any], settings: AppSettings, user_id: Any, session_id: Any,
                refresh_token: str) -> TokenPair:
    auth: OAuth2PasswordBearerAuth[Caller, Token] = request.app.state.auth
    return TokenPair(
        access_token=issue_access_token(auth, settings, user_id, session_id),
        token_type="bearer",  # noqa: S106 - the OAuth2 token type, not a secret
        expires_in=settings.access_token_ttl_s,
        refresh_token=refresh_token,
    )


class AuthController(Controller):
    path = "/auth"
    tags = ["auth"]

    @post("/register", opt={**PUBLIC, **problems(409, 429)},
          summary="Create a password account (limited per client address: REGISTER_LIMIT_PER_ADDRESS)")
    async def register(self, request: Request[Any, Any, Any], conn: Conn, passwords: PasswordHasher,
                       settings: AppSettings, data: JSONBody[RegisterBody]) -> User:
        await count_registration(conn, settings, client_addr(request))
        return await logic.register(conn, passwords, email=data.email, password=data.password,
                                    username=data.username, display_name=data.display_name,
                                    client_addr=client_addr(request))

    async def _sign_in(self, request: Request[Any, Any, Any], conn: Conn, passwords: PasswordHasher,
                       settings: AppSettings, email: str, password: str) -> TokenPair:
        address = _throttle_address(request)
        known = address is not None and await repo.is_known_address_by_email(conn, email.strip().lower(), address)
        await count_login_attempt(conn, settings, email, address, known)
        user_id = await logic.check_password(conn, passwords, email, password, client_addr(request))
        session_id, refresh = await logic.open_session(conn, settings, user_id, _user_agent(request),
                                                       client_addr(request), known_address=address)
        return _token_pair(request, settings, user_id, session_id, refresh)

    @post("/login", opt={**PUBLIC, **problems(401, 429)}, status_code=HTTP_200_OK,
          summary="Sign in with email and password (JSON)")
    async def login(self, request: Request[Any, Any, Any], conn: Conn, passwords: PasswordHasher,
                    settings: AppSettings, data: JSONBody[LoginBody]) -> TokenPair:
        return await self._sign_in(request, conn, passwords, settings, data.email, data.password)

    @post("/token", opt={**PUBLIC, **problems(401, 415, 429), "request_body": (TokenRequest, (grant.FORM, grant.JSON))},
          status_code=HTTP_200_OK,
          summary="OAuth2 token endpoint: password grant (a user; the OpenAPI UI's Authorize button) or "
                  "client-credentials grant (an app client; HTTP Basic client authentication allowed)")
    async def token(self, request: Request[Any, Any, Any], conn: Conn, passwords: PasswordHasher,
                    settings: AppSettings) -> TokenPair | AppToken:
        data = grant.parse(request.headers.get("content-type"), await request.body(),
                           request.headers.get("authorization"))
        if data.grant_type == "client_credentials":
            assert data.client_id is not None and data.client_secret is not None
            host = request.client.host if request.client else None
            await count_login_attempt(conn, settings, "app-client:" + data.client_id, host)
            client_id, scopes = await apps_logic.authenticate_client(
                conn, passwords, data.client_id, data.client_secret, data.scope, client_addr(request))
            auth: OAuth2PasswordBearerAuth[Caller, Token] = request.app.state.auth
            return AppToken(access_token=issue_app_token(auth, settings, client_id, scopes),
                            token_type="Bearer",  # noqa: S106 - the OAuth2 token type, not a secret
                            expires_in=settings.app_token_ttl_s, scope=" ".join(scopes))
        assert data.username is not None and data.password is not None
        return await self._sign_in(request, conn, passwords, settings, data.username, data.password)

    @post("/refresh", opt={**PUBLIC, **problems(401)}, status_code=HTTP_200_OK,
          summary="Exchange a refresh token for new tokens (the old one stops working)")
    async def refresh(self, request: Request[Any, Any, Any], conn: Conn, settings: AppSettings,
                      data: JSONBody[RefreshBody]) -> TokenPair:
        user_id, session_id, refresh = await logic.rotate(conn, data.refresh_token, client_addr(request))
        return _token_pair(request, settings, user_id, session_id, refresh)

    @post("/logout", status_code=HTTP_204_NO_CONTENT,
          summary="Revoke this session: its refresh token stops working at once")
    async def logout(self, request: Request[Any, Any, Any], conn: Conn, caller: CurrentCaller) -> None:
        if caller.session_id is not None:
            async with conn.transaction():
                if await repo.revoke_session(conn, caller.id, caller.session_id) is not None:
                    await repo.insert_audit(conn, caller.id, "logout", client_addr(request),
                                            {"session_id": str(caller.session_id)})


class MeController(Controller):
    path = "/me"
    tags = ["me"]

    @get("", opt=SINGLE_RESOURCE, summary="The caller's account")
    async def me(self, conn: Conn, caller: CurrentCaller) -> User:
        user = await repo.get_user(conn, caller.id)
        if user is None:
            raise NotFound("account not found")
        return user

    @patch("", opt=SINGLE_RESOURCE, summary="Change display name, username, preferences or onboarding status")
    async def update_me(self, conn: Conn, caller: CurrentCaller, if_match: IfMatch, data: JSONBody[MePatch]) -> User:
        user = await repo.update_profile(
            conn, caller.id,
            *given(data.display_name), *given(data.username),
            *given(data.preferences), *given(data.onboarding_status), if_match,
        )
        if user is None:
            raise await missing_or_stale(if_match, repo.get_user(conn, caller.id), "account not found")
        return user

    @post("/password", opt=problems(403, 409, 429), status_code=HTTP_204_NO_CONTENT,
          summary="Change password (needs the current one); signs out every other session")
    async def change_password(self, request: Request[Any, Any, Any], conn: Conn, passwords: PasswordHasher,
                              settings: AppSettings, caller: CurrentCaller, data: JSONBody[PasswordChange]) -> None:
        address = _throttle_address(request)
        known = address is not None and await repo.is_known_address(conn, caller.id, address)
        await count_password_check(conn, settings, caller.id, address, known)
        await logic.change_password(conn, passwords, caller.id, caller.session_id, data.current_password,
                                    data.new_password, client_addr(request))

    @delete("", opt=SINGLE_RESOURCE, status_code=HTTP_204_NO_CONTENT,
            summary="Delete the account and everything it owns; its group chats go to another member")
    async def delete_me(self, request: Request[Any, Any, Any], conn: Conn, caller: CurrentCaller,
                        if_match: IfMatch) -> None:
        await logic.delete_account(conn, caller.id, client_addr(request), if_match)
        # This worker refuses the account's tokens from its very next request, without waiting for
        # its own notification to come back; the other workers get it by LISTEN (accounts/deleted.py).
        deleted = request.app.state.get("deleted_accounts")
        if deleted is not None:
            deleted.add(caller.id)

    @get("/audit", summary="The caller's security events, newest first")
    async def audit(self, conn: Conn, caller: CurrentCaller, limit: Limit = 50,
                    before: Cursor = None) -> Page[AuditEntry]:
        before_id = decode_cursor(before, tuple[int])
        rows = await repo.list_audit(conn, caller.id, before_id[0] if before_id else None, limit + 1)
        return page(rows, limit, lambda row: (row.id,))
