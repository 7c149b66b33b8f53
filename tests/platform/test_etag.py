"""ETag from the row's version, If-None-Match, and If-Match as a predicate of the write itself."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from service.http.etag import MalformedIfMatch, parse_if_match
from tests.chats.util import group_of, say
from tests.helpers import assert_problem, signup
from tests.quest.support import connect, walk

TAG = re.compile(r'^"v(\d+)-[0-9a-f]{16}"$')


def version_of(etag: str) -> int:
    match = TAG.match(etag)
    assert match, etag
    return int(match.group(1))


@pytest.mark.parametrize(("header", "versions"), [
    (b'"v3-0123456789abcdef"', [3]),
    (b'"v3"', [3]),
    (b' "v1-0123456789abcdef" , "v2-0123456789abcdef" ', [1, 2]),
    (b'W/"v3-0123456789abcdef"', []),  # weak tags never match for If-Match
    (b'"something-else"', []),  # a well-formed tag that is not ours: never matches
    (b'""', []),
    (b'"v3",', [3]),  # RFC 9110 5.6.1: empty list elements are ignored
    (b"*", None),
])
def test_if_match_parses_to_versions(header, versions):
    assert parse_if_match(header) == versions


@pytest.mark.parametrize("header", [b"", b"   ", b"v3", b'"v3', b",", b'"v3" "v4"', b'"a"b"', b"*, \"v3\""])
def test_malformed_if_match_is_refused(header):
    with pytest.raises(MalformedIfMatch):
        parse_if_match(header)


async def test_get_carries_an_etag_and_if_none_match_gives_304(client):
    account = await signup(client)
    first = await client.get("/me", headers=account.headers)
    etag = first.headers["etag"]
    assert version_of(etag) == first.json()["version"] == 0
    again = await client.get("/me", headers={**account.headers, "If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert (await client.get("/me", headers={**account.headers, "If-None-Match": f"W/{etag}"})).status_code == 304
    await client.patch("/me", headers=account.headers, json={"display_name": "changed"})
    changed = await client.get("/me", headers={**account.headers, "If-None-Match": etag})
    assert changed.status_code == 200 and version_of(changed.headers["etag"]) == 1


async def test_stale_if_match_is_412_with_the_current_etag_and_changes_nothing(client):
    account = await signup(client)
    etag = (await client.get("/me", headers=account.headers)).headers["etag"]
    first = await client.patch("/me", headers=account.headers, json={"display_name": "first"})
    response = await client.patch("/me", headers={**account.headers, "If-Match": etag}, json={"display_name": "x"})
    body = assert_problem(response, 412)
    assert "If-Match" in body["detail"]
    assert response.headers["etag"] == first.headers["etag"]
    assert (await client.get("/me", headers=account.headers)).json()["display_name"] == "first"


async def test_current_if_match_star_and_no_if_match_all_write(client):
    account = await signup(client)
    etag = (await client.get("/me", headers=account.headers)).headers["etag"]
    ok = await client.patch("/me", headers={**account.headers, "If-Match": etag}, json={"display_name": "a"})
    assert ok.status_code == 200 and version_of(ok.headers["etag"]) == 1
    assert (await client.patch("/me", headers={**account.headers, "If-Match": "*"},
                               json={"display_name": "b"})).status_code == 200
    assert (await client.patch("/me", headers=account.headers, json={"display_name": "c"})).status_code == 200
    # a list naming the current version among others matches; the version alone ("v3") too
    listed = await client.patch("/me", headers={**account.headers, "If-Match": '"v0", "v3"'},
                                json={"display_name": "d"})
    assert listed.status_code == 200, listed.text


async def test_weak_and_malformed_if_match(client, conn):
    account = await signup(client)
    etag = (await client.get("/me", headers=account.headers)).headers["etag"]
    assert_problem(await client.patch("/me", headers={**account.headers, "If-Match": f"W/{etag}"},
                                      json={"display_name": "x"}), 412)
    for bad in ("", "v0", '"v0'):
        body = assert_problem(await client.patch("/me", headers={**account.headers, "If-Match": bad},
                                                 json={"display_name": "x"}), 400)
        assert "If-Match" in body["detail"]
    assert await conn.fetchval("SELECT version FROM users") == 0


async def test_stale_if_match_on_delete_is_412(client, conn):
    account = await signup(client)
    assert_problem(await client.delete("/me", headers={**account.headers, "If-Match": '"v7"'}), 412)
    assert_problem(await client.delete("/me", headers={**account.headers, "If-Match": '"stale"'}), 412)
    assert await conn.fetchval("SELECT count(*) FROM users") == 1


async def test_a_missing_resource_is_404_whatever_the_if_match(client):
    account = await signup(client)
    for tag in ('"v0"', "*"):
        assert_problem(await client.patch("/tasks/424242", headers={**account.headers, "If-Match": tag},
                                          json={"title": "x"}), 404)
    other = await signup(client)
    task = (await client.post("/tasks", headers=other.headers, json={"title": "theirs"})).json()
    assert_problem(await client.delete(f"/tasks/{task['id']}", headers={**account.headers, "If-Match": '"v0"'}), 404)


async def test_every_member_sees_the_same_tag_and_can_coordinate_with_it(client):
    owner, admin = await signup(client), await signup(client)
    chat = await group_of(client, owner, admin)
    await client.patch(f"/chats/{chat['id']}/members/{admin.id}", headers=owner.headers, json={"role": "admin"})
    as_owner = await client.get(f"/chats/{chat['id']}", headers=owner.headers)
    as_admin = await client.get(f"/chats/{chat['id']}", headers=admin.headers)
    assert as_owner.json()["my_role"] != as_admin.json()["my_role"]
    assert as_owner.headers["etag"] == as_admin.headers["etag"]
    tag = as_admin.headers["etag"]
    renamed = await client.patch(f"/chats/{chat['id']}", headers={**owner.headers, "If-Match": tag},
                                 json={"title": "by owner"})
    assert renamed.status_code == 200
    stale = await client.patch(f"/chats/{chat['id']}", headers={**admin.headers, "If-Match": tag},
                               json={"title": "by admin"})
    assert_problem(stale, 412)
    assert stale.headers["etag"] == renamed.headers["etag"]


async def test_upper_case_uuid_is_the_same_resource(client):
    owner = await signup(client)
    chat = await group_of(client, owner)
    lower, upper = f"/chats/{chat['id']}", f"/chats/{chat['id'].upper()}"
    tag = (await client.get(lower, headers=owner.headers)).headers["etag"]
    assert (await client.get(upper, headers=owner.headers)).headers["etag"] == tag
    assert (await client.get(upper, headers={**owner.headers, "If-None-Match": tag})).status_code == 304
    written = await client.patch(upper, headers={**owner.headers, "If-Match": tag}, json={"title": "a"})
    assert written.status_code == 200
    assert_problem(await client.patch(lower, headers={**owner.headers, "If-Match": tag}, json={"title": "b"}), 412)
    assert (await client.get(lower, headers=owner.headers)).json()["title"] == "a"


async def test_read_time_values_change_the_tag(client, conn):
    """A chat's last message and a goal's progress are derived when read: If-None-Match must not 304 them."""
    owner = await signup(client)
    chat = await group_of(client, owner)
    tag = (await client.get(f"/chats/{chat['id']}", headers=owner.headers)).headers["etag"]
    await say(client, owner, chat["id"], "news")
    fresh = await client.get(f"/chats/{chat['id']}", headers={**owner.headers, "If-None-Match": tag})
    assert fresh.status_code == 200 and fresh.json()["last_message_preview"] == "news"

    fitbit = await connect(client, owner, provider="fitbit", external_account_id="ETAG1")
    goal = (await client.post("/goals", headers=owner.headers,
                              json={"title": "walk", "metric_kind": "steps", "target": 1000})).json()
    tag = (await client.get(f"/goals/{goal['id']}", headers=owner.headers)).headers["etag"]
    await walk(client, fitbit["external_account_id"], 500, day=datetime.now(UTC).date().isoformat())
    fresh = await client.get(f"/goals/{goal['id']}", headers={**owner.headers, "If-None-Match": tag})
    assert fresh.status_code == 200 and fresh.json()["progress"]["value"] == 500
    assert version_of(fresh.headers["etag"]) == version_of(tag)  # the stored goal did not change...
    edited = await client.patch(f"/goals/{goal['id']}", headers={**owner.headers, "If-Match": tag},
                                json={"target": 2000})
    assert edited.status_code == 200, edited.text  # ...so an edit conditional on it still goes through


async def test_context_and_member_routes_honour_if_match(client, conn):
    owner, member = await signup(client), await signup(client)
    chat = await group_of(client, owner, member)
    context = await client.get(f"/chats/{chat['id']}/context", headers=member.headers)
    tag = context.headers["etag"]
    assert_problem(await client.put(f"/chats/{chat['id']}/context", headers={**member.headers, "If-Match": '"v9"'},
                                    json={"context_summary": "bogus"}), 412)
    ok = await client.put(f"/chats/{chat['id']}/context", headers={**member.headers, "If-Match": tag},
                          json={"context_summary": "ok"})
    assert ok.status_code == 200 and version_of(ok.headers["etag"]) == 1
    stale = await client.patch(f"/chats/{chat['id']}/members/{member.id}",
                               headers={**owner.headers, "If-Match": '"v9"'}, json={"role": "admin"})
    assert_problem(stale, 412)
    assert version_of(stale.headers["etag"]) == 0
    promoted = await client.patch(f"/chats/{chat['id']}/members/{member.id}",
                                  headers={**owner.headers, "If-Match": stale.headers["etag"]}, json={"role": "admin"})
    assert promoted.status_code == 200 and promoted.json()["role"] == "admin"
    assert_problem(await client.delete(f"/chats/{chat['id']}/members/{member.id}",
                                       headers={**owner.headers, "If-Match": stale.headers["etag"]}), 412)
    assert await conn.fetchval("SELECT count(*) FROM chat_members WHERE chat_id = $1", chat["id"]) == 2
    assert (await client.delete(f"/chats/{chat['id']}/members/{member.id}",
                                headers={**owner.headers, "If-Match": promoted.headers["etag"]})).status_code == 204


async def test_refusals_keep_their_order_403_before_412(client):
    owner, member = await signup(client), await signup(client)
    chat = await group_of(client, owner, member)
    assert_problem(await client.patch(f"/chats/{chat['id']}", headers={**member.headers, "If-Match": '"v9"'},
                                      json={"title": "x"}), 403)
    stranger = await signup(client)
    assert_problem(await client.patch(f"/chats/{chat['id']}", headers={**stranger.headers, "If-Match": '"v9"'},
                                      json={"title": "x"}), 404)
