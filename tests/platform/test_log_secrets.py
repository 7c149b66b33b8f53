"""No password, token, token hash or password hash ever reaches a log line."""

from __future__ import annotations

import hashlib
import logging

import msgspec
from litestar.testing import AsyncTestClient

from service.app import create_app
from tests.helpers import PASSWORD, signup


class Everything(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.text: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.text.append(self.format(record))
        if record.exc_info and record.exc_info[1] is not None:
            self.text.append(repr(record.exc_info[1]))


async def test_a_full_account_flow_logs_no_secret(settings, conn):
    app = create_app(msgspec.structs.replace(settings, sql_echo=True))  # configures logging: add ours after
    handler = Everything()
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        async with AsyncTestClient(app=app) as client:
            account = await signup(client, "secret-keeper@example.com")
            await client.post("/auth/login", json={"email": account.email, "password": "wrong-password-123"})
            refreshed = (await client.post("/auth/refresh", json={"refresh_token": account.refresh_token})).json()
            await client.post("/auth/refresh", json={"refresh_token": account.refresh_token})  # reuse
            await client.post("/me/password", headers=account.headers,
                              json={"current_password": PASSWORD, "new_password": "new-password-456"})
            await client.post("/auth/logout", headers=account.headers)
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)
        create_app(settings)  # SQL echo off again
    logged = "\n".join(handler.text)
    assert "accounts/insert_user" in logged  # the capture did see the service's own logging
    stored_hash = await conn.fetchval("SELECT password_hash FROM users")
    secrets = [PASSWORD, "wrong-password-123", "new-password-456", account.access_token, account.refresh_token,
               refreshed["access_token"], refreshed["refresh_token"], stored_hash, "$argon2id$"]
    for token in (account.refresh_token, refreshed["refresh_token"]):
        secret = token.split(".", 1)[1]
        secrets += [secret, hashlib.sha256(secret.encode()).hexdigest()]
    for secret in secrets:
        assert secret not in logged, f"a secret reached the logs: {secret[:12]}..."
