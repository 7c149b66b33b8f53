"""The login rehash never writes an old password back over a password change (tests/race.py).

Login reads the stored hash, verifies the password (slow, outside any lock), and rehashes
when argon2's parameters changed.  A password change that commits between that read and
the rehash used to be overwritten by the old password's new hash.  The rehash is now a
compare-and-set on the verified hash (accounts/rehash_password.sql).
"""

from __future__ import annotations

import uuid

import pytest
from argon2 import PasswordHasher

from service.accounts import logic as accounts_logic
from service.accounts import repo as accounts_repo
from service.accounts.passwords import Passwords
from service.errors import Conflict
from tests.chats.test_owners import connections
from tests.helpers import PASSWORD, assert_problem, login, signup
from tests.race import started_and_blocked

NEW_PASSWORD = "a brand new passphrase 42"


async def test_login_with_old_password_racing_a_password_change_never_writes_it_back(client, conn, db_url,
                                                                                      settings):
    account = await signup(client)
    user_id = uuid.UUID(account.id)
    weaker = PasswordHasher(time_cost=1, memory_cost=512, parallelism=1).hash(PASSWORD)
    await conn.execute("UPDATE users SET password_hash = $2 WHERE id = $1::uuid", account.id, weaker)
    passwords = Passwords(settings)
    new_hash = await passwords.hash(NEW_PASSWORD)
    async with connections(db_url, 2) as (a, b):
        tx = b.transaction()
        await tx.start()
        # B: the password change has written the new hash and holds the row lock, not yet committed.
        assert await accounts_repo.set_password_hash(b, user_id, weaker, new_hash) == user_id
        # A: login with the old password reads the committed (old, weak) hash, verifies it,
        # and its rehash is observed waiting on B's row lock.
        task = await started_and_blocked(
            conn, accounts_logic.check_password(a, passwords, account.email, PASSWORD, None),
            exclude=(b.get_server_pid(),))
        await tx.commit()
        assert await task == user_id  # that login itself was valid when it verified
    stored = await conn.fetchval("SELECT password_hash FROM users WHERE id = $1::uuid", account.id)
    assert stored == new_hash  # the change won; the old password was not written back
    assert_problem(await client.post("/auth/login", json={"email": account.email, "password": PASSWORD}), 401)
    await login(client, account.email, NEW_PASSWORD)


async def test_rehash_writes_only_over_the_verified_hash(client, conn):
    account = await signup(client)
    user_id = uuid.UUID(account.id)
    current = await conn.fetchval("SELECT password_hash FROM users WHERE id = $1::uuid", account.id)
    assert await accounts_repo.rehash_password(conn, user_id, "not the stored hash", "x") is None
    assert await conn.fetchval("SELECT password_hash FROM users WHERE id = $1::uuid", account.id) == current
    assert await accounts_repo.rehash_password(conn, user_id, current, current) == user_id


async def test_two_password_changes_from_one_password_never_both_win(client, conn, db_url, settings):
    """Both verified the same current password; the one that commits second changes nothing (409)."""
    account = await signup(client)
    user_id = uuid.UUID(account.id)
    passwords = Passwords(settings)
    async with connections(db_url, 2) as (a, b):
        current = await conn.fetchval("SELECT password_hash FROM users WHERE id = $1::uuid", account.id)
        first_hash = await passwords.hash("first new passphrase")
        tx = b.transaction()
        await tx.start()
        assert await accounts_repo.set_password_hash(b, user_id, current, first_hash) == user_id
        task = await started_and_blocked(
            conn, accounts_logic.change_password(a, passwords, user_id, None, PASSWORD, "second new passphrase", None),
            exclude=(b.get_server_pid(),))
        await tx.commit()
        with pytest.raises(Conflict):
            await task
    assert await conn.fetchval("SELECT password_hash FROM users WHERE id = $1::uuid", account.id) == first_hash
    assert await conn.fetchval("SELECT count(*) FROM audit_log WHERE event = 'password_change'") == 0

