"""Quest demo data: Alice's pet, her GitHub integration, a few processed pushes and a goal.

Idempotent: the pet and the goal are looked up before they are written, the
integration is connected only when Alice has none for GitHub, and the pushes
go through the real webhook path with fixed delivery ids, so a second run
stores them as duplicates and changes nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import msgspec

from service.config import load_settings
from service.db.queries import Connection
from service.quest import logic, providers, repo
from service.quest.crypto import cipher_for
from service.quest.models import IntegrationCreate

DEMO_GITHUB_ID = "583231"  # the demo GitHub account's numeric user id
PET_NAME = "Mochi"
GOAL_TITLE = "Commit every day"


def _push(index: int, commits: int, when: datetime) -> bytes:
    shas = [f"{index:02d}{n:02d}".ljust(40, "a") for n in range(commits)]
    return msgspec.json.encode({
        "ref": "refs/heads/main",
        "before": "0" * 40,
        "after": shas[-1],
        "repository": {"id": 1296269, "name": "machi-quest", "full_name": "alice/machi-quest"},
        "pusher": {"name": "alice", "email": "alice@demo.com"},
        "sender": {"login": "alice", "id": int(DEMO_GITHUB_ID)},
        "commits": [{"id": sha, "message": f"demo commit {sha[:4]}", "timestamp": when.isoformat(),
                     "distinct": True, "author": {"name": "Alice", "email": "alice@demo.com"}}
                    for sha in shas],
        "head_commit": {"id": shas[-1], "timestamp": when.isoformat()},
    })


async def seed(conn: Connection, users: dict[str, UUID]) -> None:
    alice = users["alice"]
    settings = load_settings()
    if not await repo.list_pets(conn, alice, None, None, 1):
        await repo.insert_pet(conn, alice, PET_NAME, "machi", 45, 12, {"color": "green", "mood": "happy"})
    integrations = await repo.list_integrations(conn, alice, None, None, 50)
    has_github = any(i.provider == "github" and i.status != "revoked" for i in integrations)
    if not has_github and settings.quest_token_keys() is not None:
        await logic.connect_integration(conn, cipher_for(settings), alice, IntegrationCreate(
            provider="github", external_account_id=DEMO_GITHUB_ID,
            access_token="gho_demo_access_token_not_real",  # noqa: S106 - demo value, not a credential
            scopes=["repo", "read:user"]), None)
    secret = settings.webhook_secret("github")
    if secret is not None:
        today = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
        for index, commits in enumerate((3, 1, 2)):
            body = _push(index, commits, today - timedelta(days=2 - index))
            headers = {"x-github-event": "push", "x-github-delivery": f"demo-push-{index}",
                       providers.SIGNATURE_HEADERS["github"]: providers.sign(secret, body)}
            await logic.receive_webhook(conn, "github", secret, headers, body)
    goals = await repo.list_goals(conn, alice, None, None, 200, None)
    if not any(g.title == GOAL_TITLE for g in goals):
        await repo.insert_goal(conn, alice, GOAL_TITLE, "commits", 1, "daily", None, None)
