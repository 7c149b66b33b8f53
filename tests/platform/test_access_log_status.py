"""The access log and the metrics record the status the client was sent, decided in one place
(``problems.status_of``), also for answers made outside the handlers (the auth's 401)."""

from __future__ import annotations

import io
import logging
from typing import Any

import msgspec
import pytest
from litestar.testing import AsyncTestClient

from service.app import create_app
from service.config import load_settings
from service.http import access_log
from tests.chats.util import group_of
from tests.conftest import CHEAP_ARGON2
from tests.helpers import signup


@pytest.fixture
def logged(monkeypatch: pytest.MonkeyPatch) -> io.BytesIO:
    stream = io.BytesIO()
    monkeypatch.setattr(access_log.LINES, "_stream", stream)
    monkeypatch.setattr(access_log.log, "level", logging.INFO)
    return stream


def lines(stream: io.BytesIO) -> list[dict[str, Any]]:
    access_log.LINES.flush()
    return [msgspec.json.decode(line) for line in stream.getvalue().splitlines() if line]


def metric_count(text: str, method: str, path: str, status: int) -> float:
    for line in text.splitlines():
        if (line.startswith("service_requests_total{") and f'method="{method}"' in line and f'path="{path}"' in line
                and f'status_code="{status}"' in line):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


async def test_logged_and_counted_status_is_the_status_sent(db_url: str, logged: io.BytesIO) -> None:
    settings = load_settings(environ={}, database_url=db_url, pool_min_size=1, pool_max_size=1, pool_timeout_s=0.2,
                             **CHEAP_ARGON2)
    app = create_app(settings)
    async with AsyncTestClient(app=app) as client:
        owner, member = await signup(client), await signup(client)
        chat = await group_of(client, owner, member)
        path = f"/chats/{chat['id']}"
        sent = []
        sent.append(await client.get("/me"))  # 401 from the auth layer, outside any handler
        sent.append(await client.delete(path, headers=member.headers))  # 403
        sent.append(await client.get("/tasks/987654", headers=owner.headers))  # 404
        stale = {**owner.headers, "If-Match": '"v99"'}
        sent.append(await client.patch(path, headers=stale, json={"title": "x"}))  # 412
        # The only connection is taken (in the app's event loop): the next request waits for it, then 503.
        held = client.blocking_portal.call(app.state.pool.acquire)
        try:
            sent.append(await client.get("/me", headers=owner.headers))
        finally:
            client.blocking_portal.call(app.state.pool.release, held)
        metrics = (await client.get("/metrics")).text
    assert [r.status_code for r in sent] == [401, 403, 404, 412, 503]
    logged_lines = lines(logged)
    position = 0
    for response in sent:  # in order: each answer's line is the next one with its method and path
        method, url = response.request.method, response.request.url.path
        while (logged_lines[position]["method"], logged_lines[position]["path"]) != (method, url):
            position += 1
        assert logged_lines[position]["status"] == response.status_code, (method, url, logged_lines[position])
        position += 1
    assert metric_count(metrics, "GET", "/me", 401) >= 1
    assert metric_count(metrics, "GET", "/me", 503) >= 1
    assert metric_count(metrics, "PATCH", "/chats/{chat_id}", 412) >= 1
    assert not [line for line in logged_lines if line["status"] == 500]
