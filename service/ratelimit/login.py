"""Sign-in attempts limited per account and per client address (429 with Retry-After).

Every attempt counts, right or wrong, before the password is checked, so a
guesser cannot use the limiter's answer as an oracle.  The account bucket is
the SHA-256 of the lower-cased email (no addresses stored in clear).
"""

from __future__ import annotations

import hashlib

from service.config import Settings
from service.db.queries import Connection
from service.errors import TooManyRequests
from service.ratelimit import repo


async def count_login_attempt(conn: Connection, settings: Settings, email: str, client_addr: str | None) -> None:
    account = "login-account:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()
    address = f"login-addr:{client_addr}" if client_addr else None
    limits = {account: settings.login_limit_per_account, address: settings.login_limit_per_address}
    for hit in await repo.hit_buckets(conn, account, address, settings.login_limit_window_s):
        if hit.hits > limits[hit.bucket]:
            retry_after = max(hit.retry_after_s, 1)
            raise TooManyRequests("too many sign-in attempts; try again later",
                                  headers={"Retry-After": str(retry_after)}, retry_after=retry_after)
