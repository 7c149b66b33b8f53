"""/tasks: the caller's todo list (Phase III)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, delete, get, patch, post
from litestar.params import JSONBody, Parameter, PathParameter
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from service.errors import NotFound
from service.http.deps import READ_REPLICA, Conn, CurrentCaller, IfMatch
from service.http.etag import missing_or_stale
from service.http.pagination import Cursor, Limit, Page, decode_cursor, page
from service.http.patch import given
from service.tasks import repo
from service.tasks.models import Task, TaskBatch, TaskCreate, TaskList, TaskPatch

# Ids are bigint: anything outside it cannot name a task and is refused as bad input.
TaskId = Annotated[int, PathParameter(ge=1, le=2**63 - 1, description="task id")]
Completed = Annotated[bool | None, Parameter(description="only completed (true) or open (false) tasks")]
Query = Annotated[str | None, Parameter(min_length=1, max_length=100, pattern=r"\S",
                                        description="only tasks whose title contains this (case-insensitive)")]

TASK_NOT_FOUND = "task not found"


class TaskController(Controller):
    path = "/tasks"
    tags = ["tasks"]

    @get("", dependencies=READ_REPLICA,
         summary="The caller's tasks, newest first; ?q= searches titles, ?completed= filters")
    async def list_tasks(self, conn: Conn, caller: CurrentCaller, completed: Completed = None,
                         limit: Limit = 50, before: Cursor = None, q: Query = None) -> Page[Task]:
        key = decode_cursor(before, tuple[int])
        before_id = key[0] if key else None
        if q is not None:
            rows = await repo.search_tasks(conn, caller.id, q, completed, before_id, limit + 1)
        elif completed is None:
            rows = await repo.list_tasks(conn, caller.id, before_id, limit + 1)
        else:
            rows = await repo.list_tasks_by_completed(conn, caller.id, completed, before_id, limit + 1)
        return page(rows, limit, lambda row: (row.id,))

    @post("", summary="Create a task")
    async def create_task(self, conn: Conn, caller: CurrentCaller, data: JSONBody[TaskCreate]) -> Task:
        return await repo.insert_task(conn, caller.id, data.title, data.description)

    @post("/batch", status_code=HTTP_201_CREATED,
          summary="Create 1-100 tasks in one statement: all of them, in order, or none")
    async def create_tasks(self, conn: Conn, caller: CurrentCaller, data: JSONBody[TaskBatch]) -> TaskList:
        rows = await repo.insert_tasks(conn, caller.id, [t.title for t in data.tasks],
                                       [t.description for t in data.tasks])
        return TaskList(sorted(rows, key=lambda t: t.id))

    @get("/{task_id:int}", summary="One task")
    async def get_task(self, conn: Conn, caller: CurrentCaller, task_id: TaskId) -> Task:
        task = await repo.get_task(conn, caller.id, task_id)
        if task is None:
            raise NotFound(TASK_NOT_FOUND)
        return task

    @patch("/{task_id:int}", summary="Change title, description or completed")
    async def update_task(self, conn: Conn, caller: CurrentCaller, if_match: IfMatch, task_id: TaskId,
                          data: JSONBody[TaskPatch]) -> Task:
        task = await repo.update_task(conn, caller.id, task_id, *given(data.title),
                                      *given(data.description), *given(data.completed), if_match)
        if task is None:
            raise await missing_or_stale(if_match, repo.get_task(conn, caller.id, task_id), TASK_NOT_FOUND)
        return task

    @delete("/{task_id:int}", status_code=HTTP_204_NO_CONTENT, summary="Delete a task")
    async def delete_task(self, conn: Conn, caller: CurrentCaller, if_match: IfMatch, task_id: TaskId) -> None:
        if await repo.delete_task(conn, caller.id, task_id, if_match) is None:
            raise await missing_or_stale(if_match, repo.get_task(conn, caller.id, task_id), TASK_NOT_FOUND)
