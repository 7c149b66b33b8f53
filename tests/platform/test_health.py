from service.db import migrate
from tests.helpers import assert_problem


async def test_health_needs_no_database(client):
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_ready_when_migrated(client):
    response = await client.get("/ready")
    assert response.status_code == 200
    assert response.json()["status"] == "ready"


async def test_not_ready_with_a_pending_migration(client, db_url):
    rolled = migrate.rollback(db_url, 1)
    body = assert_problem(await client.get("/ready"), 503)
    assert body["pending"] == rolled


async def test_unknown_route_is_a_problem(client):
    assert_problem(await client.get("/no/such/route"), 404)


async def test_openapi_document_and_ui(client):
    schema = (await client.get("/schema/openapi.json")).json()
    assert "/auth/register" in schema["paths"]
    assert "BearerToken" in schema["components"]["securitySchemes"]
    assert (await client.get("/schema/swagger")).status_code == 200
