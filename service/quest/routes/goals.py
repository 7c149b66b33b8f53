"""/goals: activity goals, each shown with its progress in the current period (computed when read)."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_204_NO_CONTENT

from service.db.queries import Connection
from service.errors import NotFound
from service.http.deps import Conn, CurrentCaller, IfMatch
from service.http.etag import Stale
from service.http.pagination import Cursor, Limit, Page, decode_cursor, page
from service.http.patch import given
from service.quest import repo
from service.quest.models import Goal, GoalCreate, GoalPatch, GoalPeriodResult

NOT_FOUND = "goal not found"


async def _read(conn: Connection, user_id: UUID, goal_id: FromPath[UUID]) -> Goal:
    rows = await repo.list_goals(conn, user_id, None, None, 1, goal_id)
    if not rows:
        raise NotFound(NOT_FOUND)
    return Goal.from_row(rows[0])


async def _missing_or_stale(conn: Connection, user_id: UUID, goal_id: UUID, if_match: list[int] | None) -> Exception:
    """A conditional write that wrote nothing: 412 with the goal as GET shows it, or 404."""
    if if_match is None:
        return NotFound(NOT_FOUND)
    try:
        return Stale(await _read(conn, user_id, goal_id))
    except NotFound as missing:
        return missing


class GoalController(Controller):
    path = "/goals"
    tags = ["quest"]

    @get("", summary="The caller's goals with progress, oldest first")
    async def list_goals(self, conn: Conn, caller: CurrentCaller, limit: Limit = 50,
                         after: Cursor = None) -> Page[Goal]:
        key = decode_cursor(after, tuple[datetime, UUID], "after")
        rows = await repo.list_goals(conn, caller.id, *(key or (None, None)), limit + 1, None)
        result = page(rows, limit, lambda row: (row.created_at, row.id))
        return Page(items=[Goal.from_row(row) for row in result.items], next_cursor=result.next_cursor)

    @post("", summary="Create a goal (start_date defaults to today, UTC)")
    async def create_goal(self, conn: Conn, caller: CurrentCaller, data: JSONBody[GoalCreate]) -> Goal:
        async with conn.transaction():
            goal_id = await repo.insert_goal(conn, caller.id, data.title, data.metric_kind, data.target,
                                             data.period, data.start_date, data.end_date)
            return await _read(conn, caller.id, goal_id)

    @get("/{goal_id:uuid}", summary="One goal with its progress in the current period")
    async def get_goal(self, conn: Conn, caller: CurrentCaller, goal_id: FromPath[UUID]) -> Goal:
        return await _read(conn, caller.id, goal_id)

    @get("/{goal_id:uuid}/history",
         summary="The goal period by period, newest first: progress and whether it met the target")
    async def goal_history(self, conn: Conn, caller: CurrentCaller, goal_id: FromPath[UUID], limit: Limit = 50,
                           before: Cursor = None) -> Page[GoalPeriodResult]:
        key = decode_cursor(before, tuple[date])
        rows = await repo.goal_history(conn, caller.id, goal_id, key[0] if key else None, limit + 1)
        if not rows:
            await _read(conn, caller.id, goal_id)  # 404 for another user's goal; else no period yet
        return page(rows, limit, lambda row: (row.period_start,))

    @patch("/{goal_id:uuid}", summary="Change a goal (metric_kind is fixed); null end_date = open-ended")
    async def update_goal(self, conn: Conn, caller: CurrentCaller, if_match: IfMatch, goal_id: FromPath[UUID],
                          data: JSONBody[GoalPatch]) -> Goal:
        async with conn.transaction():
            updated = await repo.update_goal(
                conn, caller.id, goal_id, *given(data.title), *given(data.target), *given(data.period),
                *given(data.status), *given(data.start_date), *given(data.end_date), if_match)
            if updated is None:
                raise await _missing_or_stale(conn, caller.id, goal_id, if_match)
            return await _read(conn, caller.id, goal_id)

    @delete("/{goal_id:uuid}", status_code=HTTP_204_NO_CONTENT, summary="Delete a goal")
    async def delete_goal(self, conn: Conn, caller: CurrentCaller, if_match: IfMatch, goal_id: FromPath[UUID]) -> None:
        if await repo.delete_goal(conn, caller.id, goal_id, if_match) is None:
            raise await _missing_or_stale(conn, caller.id, goal_id, if_match)
