from service.accounts.passwords import Passwords
from service.seed import seed
from tests.helpers import login


async def _counts(conn):
    return tuple([await conn.fetchval(f"SELECT count(*) FROM {t}") for t in ("categories", "expenses", "budgets")])  # noqa: S608


async def test_seed_gives_demo_users_categories_expenses_and_budgets_idempotently(conn, settings):
    passwords = Passwords(settings)
    users = await seed(conn, passwords)
    first = await _counts(conn)
    await seed(conn, passwords)
    assert await _counts(conn) == first
    assert first[0] == 6 * len(users)
    per_user = dict(await conn.fetch(
        "SELECT u.email, count(e.id) FROM users AS u LEFT JOIN expenses AS e ON e.user_id = u.id GROUP BY u.email"))
    assert per_user["alice@demo.com"] >= 15 and per_user["bob@test.com"] >= 10
    assert per_user["charlie@sample.com"] == 0
    assert await conn.fetchval("SELECT count(DISTINCT user_id) FROM budgets WHERE period = 'monthly'") == 2


async def test_seed_adds_default_categories_to_existing_demo_users(conn, settings):
    passwords = Passwords(settings)
    users = await seed(conn, passwords)
    await conn.execute("DELETE FROM categories WHERE user_id = $1", users["charlie"])
    await seed(conn, passwords)
    assert await conn.fetchval("SELECT count(*) FROM categories WHERE user_id = $1", users["charlie"]) == 6


async def test_seeded_alice_sees_her_month_in_the_api(client, conn, settings):
    await seed(conn, Passwords(settings))
    tokens = await login(client, "alice@demo.com", "password123")
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    items = (await client.get("/expenses", headers=headers, params={"limit": 200})).json()["items"]
    assert len(items) == 18 and all(isinstance(e["amount"], str) for e in items)
    report = (await client.get("/reports/spending", headers=headers,
                               params={"from": min(e["spent_on"] for e in items),
                                       "to": max(e["spent_on"] for e in items)})).json()
    assert report["overall"]["spent"] == "1959.72"  # the sum of _ALICE in service/expenses/seed.py
