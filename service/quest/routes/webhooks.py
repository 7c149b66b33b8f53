"""POST /webhooks/{provider}: signed deliveries from GitHub and Fitbit (no bearer token)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, post
from litestar.params import FromPath
from litestar.status_codes import HTTP_200_OK

from service.errors import NotFound, Unavailable
from service.http.auth import PUBLIC
from service.http.deps import AppSettings, Conn
from service.http.openapi import problems
from service.quest import logic
from service.quest.models import WebhookAck

PROVIDERS = ("github", "fitbit")


class WebhookController(Controller):
    path = "/webhooks"
    tags = ["quest"]

    @post("/{provider:str}", opt={**PUBLIC, **problems(401, 413)}, status_code=HTTP_200_OK,
          summary="A provider's webhook, authenticated by its HMAC-SHA256 signature over the raw body")
    async def receive(self, request: Request[Any, Any, Any], conn: Conn, settings: AppSettings,
                      provider: FromPath[str]) -> WebhookAck:
        if provider not in PROVIDERS:
            raise NotFound("unknown provider")
        secret = settings.webhook_secret(provider)
        if secret is None:
            raise Unavailable(f"webhooks from {provider} are not configured on this server")
        body = await request.body()
        return await logic.receive_webhook(conn, provider, secret, request.headers, body)
