"""Password attempts limited so that a stranger cannot lock the owner out (429 with Retry-After).

Three fixed-window buckets are counted for every attempt, right or wrong, before the password
is checked (so the limiter's answer is no oracle):

- the client address (``LOGIN_LIMIT_PER_ADDRESS``): one address guessing across many accounts;
- the (account, address) pair (``LOGIN_LIMIT_PER_PAIR``): one address guessing one account;
- the account (``LOGIN_LIMIT_PER_ACCOUNT``): many addresses guessing one account.  This one is
  enforced **only for addresses that never signed in to the account successfully**
  (``known_sign_in_addresses``): an attacker who exhausts it slows every stranger, but the owner
  at an address they have used before still gets in.  A refusal from the pair or address bucket
  only ever hits the address that made the attempts.

The account bucket is the SHA-256 of the lower-cased email (sign-in) or of the user id
(``POST /me/password``, counted separately); nothing is stored in clear but the address,
which the audit log keeps anyway.
"""

from __future__ import annotations

import hashlib
from uuid import UUID

from service.config import Settings
from service.db.queries import Connection
from service.errors import TooManyRequests
from service.ratelimit import repo


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


async def count_attempt(conn: Connection, settings: Settings, *, kind: str, account: str,
                        client_addr: str | None, known_address: bool) -> None:
    """Count one password attempt of ``kind`` ("login", "password") on ``account`` from ``client_addr``;
    429 when a bucket that applies is over its limit."""
    account_bucket = f"{kind}-account:{_digest(account)}"
    address_bucket = f"{kind}-addr:{client_addr}" if client_addr else None
    pair_bucket = f"{kind}-pair:{_digest(account + chr(0) + client_addr)}" if client_addr else None
    limits = {address_bucket: settings.login_limit_per_address, pair_bucket: settings.login_limit_per_pair,
              account_bucket: None if known_address else settings.login_limit_per_account}
    hits = await repo.hit_buckets(conn, [account_bucket, address_bucket, pair_bucket], settings.login_limit_window_s)
    over = [hit for hit in hits if (limit := limits.get(hit.bucket)) is not None and hit.hits > limit]
    if over:
        retry_after = max(max(hit.retry_after_s for hit in over), 1)
        raise TooManyRequests("too many attempts; try again later",
                              headers={"Retry-After": str(retry_after)}, retry_after=retry_after)


async def count_login_attempt(conn: Connection, settings: Settings, email: str, client_addr: str | None,
                              known_address: bool = False) -> None:
    """A sign-in attempt; ``known_address`` exempts it from the per-account limit (False: a stranger,
    also the default for callers that know no addresses, e.g. an app client's secret)."""
    await count_attempt(conn, settings, kind="login", account=email.strip().lower(), client_addr=client_addr,
                        known_address=known_address)


async def count_password_check(conn: Connection, settings: Settings, user_id: UUID, client_addr: str | None,
                               known_address: bool) -> None:
    await count_attempt(conn, settings, kind="password", account=str(user_id), client_addr=client_addr,
                        known_address=known_address)


async def count_registration(conn: Connection, settings: Settings, client_addr: str | None) -> None:
    """One registration attempt from ``client_addr`` (issue #18): registration is the one place that
    tells whether an email is taken (409), so an address gets ``REGISTER_LIMIT_PER_ADDRESS`` attempts
    per ``LOGIN_LIMIT_WINDOW``, counted before the email is looked at; 429 past it.  No address (a
    unix socket, an in-process test client): not counted."""
    if not client_addr:
        return
    bucket = f"register-addr:{client_addr}"
    hits = await repo.hit_buckets(conn, [bucket], settings.login_limit_window_s)
    over = [hit for hit in hits if hit.hits > settings.register_limit_per_address]
    if over:
        retry_after = max(max(hit.retry_after_s for hit in over), 1)
        raise TooManyRequests("too many registrations from this address; try again later",
                              headers={"Retry-After": str(retry_after)}, retry_after=retry_after)
