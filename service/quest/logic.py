"""Quest flows that take several statements, each in one transaction.

The quest domain's doors to others: connecting and revoking an integration
write ``audit_log`` rows through the accounts repository, inside the same
transaction as the change they record.

Webhook deliveries are stored first (their own statement, so a delivery is
never lost), then processed: normalized event, pet state, daily metrics and
the raw row's ``processed`` mark all commit together or not at all.  A crash
between the two leaves the raw row ``pending`` for ``events process``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import timedelta
from uuid import UUID

from msgspec import UNSET

from service.accounts import repo as accounts_repo
from service.db.queries import Connection
from service.errors import Unprocessable
from service.http.etag import Stale
from service.quest import providers, repo, rules
from service.quest.crypto import TokenCipher
from service.quest.models import Integration, IntegrationCreate, IntegrationPatch, WebhookAck

log = logging.getLogger("service.quest")
PENDING_BATCH = 100
LATE_WEBHOOK_WINDOW = timedelta(hours=24)
"""A delivery that arrived "unmatched" at most this long before its integration was connected is
applied on connect (issue #16).  Keep it within the retention of unmatched deliveries."""


async def connect_integration(conn: Connection, cipher: TokenCipher, user_id: UUID, data: IntegrationCreate,
                              client_addr: str | None) -> Integration:
    """Encrypt the tokens, store the integration and audit it, in one transaction."""

    def seal(token: str | None, column: str) -> bytes | None:
        if token is None:
            return None
        return cipher.encrypt(token, TokenCipher.associated_data(user_id, data.provider, column))

    access = seal(data.access_token, "access_token")
    refresh = seal(data.refresh_token, "refresh_token")
    assert access is not None
    async with conn.transaction():
        integration = await repo.insert_integration(
            conn, user_id, data.provider, data.external_account_id, access, refresh, cipher.current_kid,
            data.scopes, data.expires_at)
        await accounts_repo.insert_audit(conn, user_id, "integration_connect", client_addr, {
            "integration_id": str(integration.id), "provider": integration.provider,
            "external_account_id": integration.external_account_id,
        })
        # Deliveries that came a little before the connection: theirs now, pending (once: only
        # unmatched rows change); applied below, each in its own transaction, like a webhook.
        late = await repo.adopt_unmatched_raw_events(conn, user_id, data.provider, data.external_account_id,
                                                     LATE_WEBHOOK_WINDOW)
    for raw_event_id in late:
        try:
            await process_raw_event(conn, raw_event_id)
        except Exception:
            # Stored and pending: `events process` applies it later.
            log.exception("processing adopted raw event %s failed; it stays pending", raw_event_id)
    return integration


async def rotate_integration(conn: Connection, cipher: TokenCipher, user_id: UUID, integration_id: UUID,
                             data: IntegrationPatch, if_match: list[int] | None = None) -> Integration | None:
    """Rotate tokens / change scopes or expiry of a live integration, in one transaction: lock the row,
    open what is kept with its key, seal both tokens under the current key.  None: nothing to change
    (missing, another user's, revoked); Stale: If-Match names another version."""
    async with conn.transaction():
        secrets = await repo.lock_integration_secrets(conn, user_id, integration_id)
        if secrets is None:
            return None
        if if_match is not None and secrets.version not in if_match:
            raise Stale(await repo.get_integration(conn, user_id, integration_id))

        def aad(column: str) -> bytes:
            return TokenCipher.associated_data(user_id, secrets.provider, column)

        def kept(blob: bytes | None, column: str) -> str | None:
            if blob is None or secrets.token_key_id is None:
                return None
            return cipher.decrypt(secrets.token_key_id, blob, aad(column))

        access = data.access_token if isinstance(data.access_token, str) else kept(secrets.access_token_enc,
                                                                                    "access_token")
        refresh = (kept(secrets.refresh_token_enc, "refresh_token") if data.refresh_token is UNSET
                   else data.refresh_token)
        if access is None:
            raise Unprocessable("the integration has no access token to keep; give access_token")
        return await repo.rotate_integration(
            conn, user_id, integration_id, cipher.encrypt(access, aad("access_token")),
            cipher.encrypt(refresh, aad("refresh_token")) if isinstance(refresh, str) else None,
            cipher.current_kid, data.scopes is not UNSET, None if data.scopes is UNSET else data.scopes,
            data.expires_at is not UNSET, None if data.expires_at is UNSET else data.expires_at)


async def revoke_integration(conn: Connection, user_id: UUID, integration_id: UUID,
                             client_addr: str | None, if_match: list[int] | None = None) -> Integration | None:
    """Revoke (tokens erased) and audit, in one transaction; None when there is nothing to revoke."""
    async with conn.transaction():
        integration = await repo.revoke_integration(conn, user_id, integration_id, if_match)
        if integration is not None:
            await accounts_repo.insert_audit(conn, user_id, "integration_revoke", client_addr, {
                "integration_id": str(integration.id), "provider": integration.provider,
            })
    return integration


async def receive_webhook(conn: Connection, provider: str, secret: str, headers: Mapping[str, str],
                          body: bytes) -> WebhookAck:
    """Verify, store once, then process.  Nothing is stored unless the signature is good."""
    providers.verify_signature(secret, body, headers.get(providers.SIGNATURE_HEADERS[provider]))
    delivery = providers.delivery(provider, headers, body)
    if delivery is None:
        return WebhookAck(status="ignored")
    stored = await repo.insert_raw_event(conn, provider, delivery.event_id, delivery.event_type,
                                         delivery.external_account_id, delivery.payload)
    if stored is None:  # a redelivery: the original's id (the conflicting insert waited for its commit)
        return WebhookAck(status="duplicate",
                          raw_event_id=await repo.get_raw_event_id(conn, provider, delivery.event_id))
    if stored.status == "unmatched":
        return WebhookAck(status="unmatched", raw_event_id=stored.id)
    try:
        await process_raw_event(conn, stored.id)
    except Exception:
        # The delivery is stored: the provider need not retry, `events process` will.
        log.exception("processing raw event %s failed; it stays pending", stored.id)
        return WebhookAck(status="pending", raw_event_id=stored.id)
    return WebhookAck(status="processed", raw_event_id=stored.id)


async def process_raw_event(conn: Connection, raw_event_id: int) -> bool:
    """Apply one pending raw event in one transaction; False when there was nothing to do
    (already processed, unmatched, or another worker holds it right now)."""
    async with conn.transaction():
        raw = await repo.claim_raw_event(conn, raw_event_id)
        if raw is None:
            return False
        assert raw.user_id is not None  # pending rows always have an owner (events_raw_unmatched_chk)
        event = providers.normalize(raw.provider, raw.payload, raw.received_at)
        if event is not None:
            event_id = await repo.insert_event(conn, raw.user_id, raw.id, event.kind, event.value,
                                               event.occurred_at, event.metadata)
            if event_id is not None:
                change, withheld = rules.cap_delivery(rules.deltas(event.kind, event.value))
                granted = await repo.grant_daily_xp(conn, raw.user_id, change.xp, withheld, rules.MAX_XP_PER_DAY)
                change = change._replace(xp=granted)
                await repo.apply_event_to_pets(conn, raw.user_id, event_id, change.xp, change.energy,
                                               change.hunger)
                await repo.add_daily_metric(conn, raw.user_id, event.kind, event.occurred_at, event.value)
        await repo.mark_raw_processed(conn, raw.id)
    return True


async def process_pending(conn: Connection) -> tuple[int, int]:
    """Process every raw event left pending (after a crash): (processed, skipped)."""
    processed = skipped = 0
    after = 0
    while ids := await repo.list_pending_raw(conn, after, PENDING_BATCH):
        for raw_event_id in ids:
            if await process_raw_event(conn, raw_event_id):
                processed += 1
            else:
                skipped += 1
        after = ids[-1]
    return processed, skipped
