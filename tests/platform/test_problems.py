"""Problem documents name every offending input: location, public name or RFC 6901 pointer, a sentence, a code."""

from __future__ import annotations

import re
from pathlib import Path

from service.errors import ERROR_CODES
from tests.helpers import assert_problem, signup

README = Path(__file__).resolve().parents[2] / "README.md"


def entries(body):
    assert body["type"] == "/problems/validation-error", body
    for entry in body["errors"]:
        assert set(entry) == {"location", "pointer", "message", "code"}, entry
        assert entry["code"] in ERROR_CODES, entry
        assert "regex" not in entry["message"] and "`" not in entry["message"], entry
    return {(e["location"], e["pointer"]): e for e in body["errors"]}


async def test_a_missing_required_query_parameter_is_named(client):
    account = await signup(client)
    body = assert_problem(await client.get("/reports/monthly", headers=account.headers), 400)
    assert entries(body)[("query", "year")]["code"] == "missing"


async def test_parameters_are_named_as_documented_and_all_reported(client):
    account = await signup(client)
    body = assert_problem(await client.get("/expenses?from=yesterday&to=x&limit=0", headers=account.headers), 400)
    found = entries(body)
    assert {("query", "from"), ("query", "to"), ("query", "limit")} <= found.keys(), found
    assert found[("query", "from")]["code"] == "format"
    assert found[("query", "limit")]["code"] == "too_small"
    assert "from_" not in str(body)


async def test_every_bad_body_member_is_reported_by_pointer(client):
    account = await signup(client)
    body = assert_problem(await client.post("/tasks", json={"title": "  ", "description": 5, "bogus": 1},
                                            headers=account.headers), 400)
    found = entries(body)
    assert found[("body", "/title")]["code"] == "blank"
    assert found[("body", "/description")]["code"] == "type"
    assert found[("body", "/bogus")]["code"] == "unknown_field"
    assert "(and 2 more inputs)" in body["detail"]


async def test_missing_body_member_and_empty_body(client):
    account = await signup(client)
    body = assert_problem(await client.post("/tasks", json={}, headers=account.headers), 400)
    assert entries(body)[("body", "/title")]["code"] == "missing"
    body = assert_problem(await client.post("/tasks", content=b"", headers={**account.headers,
                                                                           "content-type": "application/json"}), 400)
    assert entries(body)[("body", "")]["code"] == "missing"
    body = assert_problem(await client.post("/tasks", content=b"{", headers={**account.headers,
                                                                            "content-type": "application/json"}), 400)
    assert entries(body)[("body", "")]["code"] == "invalid_json"


async def test_from_after_to_is_the_same_problem_everywhere(client):
    account = await signup(client)
    for url in ("/events?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z",
                "/expenses?from=2026-02-01&to=2026-01-01", "/stats/daily?from=2026-02-01&to=2026-01-01",
                "/reports/spending?from=2026-02-01&to=2026-01-01"):
        body = assert_problem(await client.get(url, headers=account.headers), 400)
        assert entries(body)[("query", "from")] == {"location": "query", "pointer": "from", "code": "conflicting",
                                                    "message": "from must not be after to"}, url


async def test_a_rule_across_body_members_names_the_member(client):
    account = await signup(client)
    body = assert_problem(await client.post("/budgets", headers=account.headers, json={
        "amount": "10.00", "period": "monthly", "start_date": "2026-02-01", "end_date": "2026-01-01"}), 400)
    assert entries(body)[("body", "/end_date")]["code"] == "conflicting"


async def test_problem_bodies_carry_no_constraint_names(client):
    account = await signup(client)
    response = await client.post("/auth/register", json={"email": account.email, "password": "x" * 12})
    body = response.json()
    assert response.status_code == 409, body
    assert "constraint" not in body and "_key" not in str(body)


def test_every_code_is_in_the_readme_table():
    text = README.read_text()
    section = text[text.index("\n## Errors\n"):]
    section = section[:section.index("\n## ", 1)]
    table = set(re.findall(r"^\| `([a-z_]+)` \|", section, re.MULTILINE))
    assert table == set(ERROR_CODES), table ^ set(ERROR_CODES)


async def test_a_number_is_not_a_date_time(client):
    account = await signup(client)
    body = assert_problem(await client.get("/events?to=0.5", headers=account.headers), 400)
    assert entries(body)[("query", "to")]["code"] == "format"
    assert (await client.get("/events?to=2026-01-01T00:00:00Z", headers=account.headers)).status_code == 200


def test_every_problem_type_is_defined_in_the_errors_module():
    import service.app  # noqa: F401  (imports every domain, so every subclass exists)
    from service import errors

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    home = {(c.status, c.slug) for c in subclasses(errors.DomainError) if c.__module__ == "service.errors"}
    elsewhere = {(c.__qualname__, c.status, c.slug) for c in subclasses(errors.DomainError)
                 if c.__module__ != "service.errors" and (c.status, c.slug) not in home}
    assert elsewhere == set()  # a subclass elsewhere may add headers (etag.Stale), never a new type
