"""Rows the task SQL returns, and what clients send."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec
from msgspec import UNSET, Meta, UnsetType

from service.errors import describe_constraints

# Mirrors tasks_title_chk: 1..200 characters and at least one that is not whitespace.
Title = Annotated[str, Meta(min_length=1, max_length=200, pattern=r"\S")]
Description = Annotated[str, Meta(max_length=2000)]


class Task(msgspec.Struct):
    id: int
    title: str
    description: str | None
    completed: bool
    created_at: datetime
    updated_at: datetime
    version: int


class TaskCreate(msgspec.Struct, forbid_unknown_fields=True):
    title: Title
    description: Description | None = None


BATCH_MAX = 100


class TaskBatch(msgspec.Struct, forbid_unknown_fields=True):
    """POST /tasks/batch: 1..100 tasks, created all or none, in this order."""

    tasks: Annotated[list[TaskCreate], Meta(min_length=1, max_length=BATCH_MAX)]


class TaskList(msgspec.Struct):
    items: list[Task]


class TaskPatch(msgspec.Struct, forbid_unknown_fields=True):
    """PATCH /tasks/{id}: an omitted field stays as it is; null clears the description."""

    title: Title | UnsetType = UNSET
    description: Description | UnsetType | None = UNSET
    completed: bool | UnsetType = UNSET


describe_constraints({
    "tasks_title_chk": "title must be 1-200 characters and not only whitespace",
    "tasks_description_chk": "description must be at most 2000 characters",
    "tasks_user_id_fkey": "the account no longer exists",
})
