"""One typed function per SQL file under sql/ratelimit/."""

from __future__ import annotations

import msgspec

from service.db.queries import Connection, sql


class BucketHits(msgspec.Struct):
    bucket: str
    hits: int
    retry_after_s: int


@sql("ratelimit/hit_buckets")
async def hit_buckets(conn: Connection, buckets: list[str | None], window_seconds: int) -> list[BucketHits]: ...
