"""/expenses: the caller's expenses, their filtered listing and the bulk import."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from service.errors import NotFound, Unprocessable, check_range
from service.expenses import repo
from service.expenses.models import (
    MONEY_PATTERN,
    Expense,
    ExpenseCreate,
    ExpenseImport,
    ExpensePatch,
    ImportSummary,
    money,
)
from service.http.deps import READ_REPLICA, Conn, CurrentCaller, IfMatch
from service.http.etag import missing_or_stale
from service.http.pagination import Cursor, Limit, Page, decode_cursor, page
from service.http.patch import given

NOT_FOUND = "expense not found"
# 10,000 rows of a few hundred bytes each; far above the service-wide MAX_BODY_BYTES.
IMPORT_MAX_BODY_BYTES = 16 * 1024 * 1024

FromDate = Annotated[date | None, QueryParameter(name="from", description="first day, inclusive (YYYY-MM-DD)")]
ToDate = Annotated[date | None, QueryParameter(description="last day, inclusive (YYYY-MM-DD)")]
AmountBound = Annotated[str | None, QueryParameter(pattern=MONEY_PATTERN, description='decimal string, e.g. "12.50"')]
TagFilter = Annotated[str | None, QueryParameter(min_length=1, max_length=100, description="expenses with this tag")]
TextFilter = Annotated[str | None, QueryParameter(min_length=1, max_length=200,
                                             description="case-insensitive text in description or notes")]


class ExpenseController(Controller):
    path = "/expenses"
    tags = ["expenses"]

    @get("", dependencies=READ_REPLICA, summary="The caller's expenses, newest first, filtered")
    async def list_expenses(
        self, conn: Conn, caller: CurrentCaller,
        from_: FromDate = None, to: ToDate = None, category_id: FromQuery[UUID | None] = None,
        min_amount: AmountBound = None, max_amount: AmountBound = None,
        tag: TagFilter = None, q: TextFilter = None,
        limit: Limit = 50, before: Cursor = None,
    ) -> Page[Expense]:
        check_range(from_, to)
        low = money(min_amount) if min_amount is not None else None
        high = money(max_amount) if max_amount is not None else None
        check_range(low, high, names=("min_amount", "max_amount"))
        key = decode_cursor(before, tuple[date, UUID])
        rows = await repo.list_expenses(conn, caller.id, from_, to, category_id, low, high, tag, q,
                                        key[0] if key else None, key[1] if key else None, limit + 1)
        return page(rows, limit, lambda row: (row.spent_on, row.id))

    @post("", summary="Record an expense in one of the caller's categories")
    async def create_expense(self, conn: Conn, caller: CurrentCaller, data: JSONBody[ExpenseCreate]) -> Expense:
        return await repo.insert_expense(conn, caller.id, data.category_id, money(data.amount), data.spent_on,
                                         data.description, data.payment_method, data.tags, data.notes,
                                         data.receipt_url)

    @post("/import", status_code=HTTP_201_CREATED, request_max_body_size=IMPORT_MAX_BODY_BYTES,
          summary="Record up to 10,000 expenses at once: all or nothing")
    async def import_expenses(self, conn: Conn, caller: CurrentCaller,
                              data: JSONBody[ExpenseImport]) -> ImportSummary:
        rows: list[dict[str, Any]] = msgspec.to_builtins(data.expenses)
        for index, row in enumerate(rows):
            row["row_index"] = index
        result = await repo.import_expenses(conn, caller.id, rows)
        if result.bad_row is not None:
            raise Unprocessable(f"row {result.bad_row}: category_id is not one of your categories; "
                                "nothing was imported", row=result.bad_row)
        return ImportSummary(inserted=result.inserted)

    @get("/{expense_id:uuid}", summary="One expense")
    async def get_expense(self, conn: Conn, caller: CurrentCaller, expense_id: FromPath[UUID]) -> Expense:
        expense = await repo.get_expense(conn, caller.id, expense_id)
        if expense is None:
            raise NotFound(NOT_FOUND)
        return expense

    @patch("/{expense_id:uuid}", summary="Change an expense's fields")
    async def update_expense(self, conn: Conn, caller: CurrentCaller, if_match: IfMatch, expense_id: FromPath[UUID],
                             data: JSONBody[ExpensePatch]) -> Expense:
        amount = money(data.amount) if isinstance(data.amount, str) else data.amount
        expense = await repo.update_expense(
            conn, caller.id, expense_id,
            *given(data.category_id), *given(amount),
            *given(data.spent_on), *given(data.description), *given(data.payment_method),
            *given(data.tags), *given(data.notes), *given(data.receipt_url), if_match,
        )
        if expense is None:
            raise await missing_or_stale(if_match, repo.get_expense(conn, caller.id, expense_id), NOT_FOUND)
        return expense

    @delete("/{expense_id:uuid}", status_code=HTTP_204_NO_CONTENT, summary="Delete an expense")
    async def delete_expense(self, conn: Conn, caller: CurrentCaller, if_match: IfMatch,
                             expense_id: FromPath[UUID]) -> None:
        if await repo.delete_expense(conn, caller.id, expense_id, if_match) is None:
            raise await missing_or_stale(if_match, repo.get_expense(conn, caller.id, expense_id), NOT_FOUND)
