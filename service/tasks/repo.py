"""One typed function per SQL file under sql/tasks/ (bodies come from @sql)."""

from __future__ import annotations

from uuid import UUID

from service.db.queries import Connection, sql
from service.tasks.models import Task


@sql("tasks/insert_task")
async def insert_task(conn: Connection, user_id: UUID, title: str, description: str | None) -> Task: ...


@sql("tasks/list_tasks")
async def list_tasks(conn: Connection, user_id: UUID, before_id: int | None, limit: int) -> list[Task]: ...


@sql("tasks/list_tasks_by_completed")
async def list_tasks_by_completed(
    conn: Connection, user_id: UUID, completed: bool, before_id: int | None, limit: int
) -> list[Task]: ...


@sql("tasks/search_tasks")
async def search_tasks(conn: Connection, user_id: UUID, q: str, completed: bool | None, before_id: int | None,
                       limit: int) -> list[Task]: ...


@sql("tasks/insert_tasks")
async def insert_tasks(conn: Connection, user_id: UUID, titles: list[str],
                       descriptions: list[str | None]) -> list[Task]: ...


@sql("tasks/get_task")
async def get_task(conn: Connection, user_id: UUID, task_id: int) -> Task | None: ...


@sql("tasks/update_task")
async def update_task(
    conn: Connection,
    user_id: UUID,
    task_id: int,
    set_title: bool,
    title: str | None,
    set_description: bool,
    description: str | None,
    set_completed: bool,
    completed: bool | None,
    if_match: list[int] | None,
) -> Task | None: ...


@sql("tasks/delete_task")
async def delete_task(conn: Connection, user_id: UUID, task_id: int, if_match: list[int] | None) -> int | None: ...
