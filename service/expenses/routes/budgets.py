"""/budgets: the caller's spending limits, per category or (no category) for all spending."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_204_NO_CONTENT

from service.errors import NotFound
from service.expenses import repo
from service.expenses.models import Budget, BudgetCreate, BudgetPatch, money
from service.http.deps import Conn, CurrentCaller, IfMatch
from service.http.etag import missing_or_stale
from service.http.pagination import Cursor, Limit, Page, decode_cursor, page
from service.http.patch import given

NOT_FOUND = "budget not found"


class BudgetController(Controller):
    path = "/budgets"
    tags = ["expenses"]

    @get("", summary="The caller's budgets, latest start first")
    async def list_budgets(self, conn: Conn, caller: CurrentCaller, limit: Limit = 50,
                           before: Cursor = None) -> Page[Budget]:
        key = decode_cursor(before, tuple[date, UUID])
        rows = await repo.list_budgets(conn, caller.id, key[0] if key else None, key[1] if key else None, limit + 1)
        return page(rows, limit, lambda row: (row.start_date, row.id))

    @post("", summary="Create a budget (no category_id: a budget for all spending)")
    async def create_budget(self, conn: Conn, caller: CurrentCaller, data: JSONBody[BudgetCreate]) -> Budget:
        return await repo.insert_budget(conn, caller.id, data.category_id, money(data.amount), data.period,
                                        data.start_date, data.end_date)

    @get("/{budget_id:uuid}", summary="One budget")
    async def get_budget(self, conn: Conn, caller: CurrentCaller, budget_id: FromPath[UUID]) -> Budget:
        budget = await repo.get_budget(conn, caller.id, budget_id)
        if budget is None:
            raise NotFound(NOT_FOUND)
        return budget

    @patch("/{budget_id:uuid}", summary="Change a budget's fields")
    async def update_budget(self, conn: Conn, caller: CurrentCaller, if_match: IfMatch, budget_id: FromPath[UUID],
                            data: JSONBody[BudgetPatch]) -> Budget:
        amount = money(data.amount) if isinstance(data.amount, str) else data.amount
        budget = await repo.update_budget(conn, caller.id, budget_id, *given(data.category_id), *given(amount),
                                          *given(data.period), *given(data.start_date), *given(data.end_date),
                                          if_match)
        if budget is None:
            raise await missing_or_stale(if_match, repo.get_budget(conn, caller.id, budget_id), NOT_FOUND)
        return budget

    @delete("/{budget_id:uuid}", status_code=HTTP_204_NO_CONTENT, summary="Delete a budget")
    async def delete_budget(self, conn: Conn, caller: CurrentCaller, if_match: IfMatch,
                            budget_id: FromPath[UUID]) -> None:
        if await repo.delete_budget(conn, caller.id, budget_id, if_match) is None:
            raise await missing_or_stale(if_match, repo.get_budget(conn, caller.id, budget_id), NOT_FOUND)
