from service.accounts.passwords import Passwords
from service.seed import seed


async def quest_counts(conn):
    return {table: await conn.fetchval(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed names
            for table in ("pets", "integrations", "events_raw", "events", "goals", "metrics_cache")}


async def test_seed_gives_alice_a_pet_integration_events_and_goal_idempotently(conn, settings):
    passwords = Passwords(settings)
    users = await seed(conn, passwords)
    first = await quest_counts(conn)
    await seed(conn, passwords)
    assert await quest_counts(conn) == first
    assert first["pets"] == 1 and first["integrations"] == 1 and first["goals"] == 1
    assert first["events_raw"] == first["events"] == 3
    alice = users["alice"]
    pet = await conn.fetchrow("SELECT user_id, xp, level, last_event_id FROM pets")
    assert pet["user_id"] == alice and pet["xp"] == 60 and pet["last_event_id"] is not None
    assert await conn.fetchval("SELECT count(*) FROM events_raw WHERE status = 'processed' AND user_id = $1",
                               alice) == 3
    integration = await conn.fetchrow("SELECT provider, status, access_token_enc FROM integrations")
    assert integration["provider"] == "github" and integration["status"] == "active"
    assert b"gho_demo" not in bytes(integration["access_token_enc"])
    assert await conn.fetchval("SELECT count(*) FROM audit_log WHERE event = 'integration_connect'") == 1
