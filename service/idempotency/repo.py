"""One typed function per SQL file under sql/idempotency/."""

from __future__ import annotations

from uuid import UUID

import msgspec

from service.db.queries import Connection, sql


class StoredKey(msgspec.Struct):
    request_hash: bytes
    status_code: int | None
    content_type: str | None
    response_body: bytes | None


@sql("idempotency/claim_key")
async def claim_key(conn: Connection, user_id: UUID, idem_key: str, request_hash: bytes,
                    ttl_seconds: int) -> UUID | None: ...


@sql("idempotency/get_key")
async def get_key(conn: Connection, user_id: UUID, idem_key: str) -> StoredKey | None: ...


@sql("idempotency/complete_key")
async def complete_key(conn: Connection, user_id: UUID, idem_key: str, claim_token: UUID, status_code: int,
                       content_type: str | None, response_body: bytes) -> bool | None: ...


@sql("idempotency/release_key")
async def release_key(conn: Connection, user_id: UUID, idem_key: str, claim_token: UUID) -> bool | None: ...
