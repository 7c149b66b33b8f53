"""/reports: spending against budgets over a date range, and a year by month and category."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from litestar import Controller, get
from litestar.params import QueryParameter

from service.errors import check_range
from service.expenses import repo
from service.expenses.models import (
    CategoryTotal,
    MonthlyReport,
    MonthTotal,
    SpendingLine,
    SpendingReport,
    SpendingTotal,
)
from service.http.deps import READ_REPLICA, Conn, CurrentCaller

ZERO = Decimal("0.00")
MAX_RANGE_DAYS = 3660  # ten years: a report is a view, not a data export


class ReportController(Controller):
    path = "/reports"
    tags = ["expenses"]

    @get("/spending", dependencies=READ_REPLICA,
         summary="Spending per category against the budgets that apply to the range")
    async def spending(
        self, conn: Conn, caller: CurrentCaller,
        from_: Annotated[date, QueryParameter(name="from", description="first day, inclusive")],
        to: Annotated[date, QueryParameter(description="last day, inclusive")],
    ) -> SpendingReport:
        check_range(from_, to, max_days=MAX_RANGE_DAYS)
        rows = await repo.spending_report(conn, caller.id, from_, to)
        *lines, overall = rows  # the statement returns the overall line last
        return SpendingReport(
            from_=from_, to=to,
            categories=[SpendingLine(r.id, r.name, r.color, r.spent, r.budget, r.remaining)  # type: ignore[arg-type]
                        for r in lines],
            overall=SpendingTotal(overall.spent, overall.budget, overall.remaining),
        )

    @get("/monthly", dependencies=READ_REPLICA,
         summary="A calendar year's spending per month and per category")
    async def monthly(self, conn: Conn, caller: CurrentCaller,
                      year: Annotated[int, QueryParameter(ge=1, le=9998)]) -> MonthlyReport:
        rows = await repo.monthly_report(conn, caller.id, year)
        months = [MonthTotal(month=m, total=ZERO, expense_count=0, categories=[]) for m in range(1, 13)]
        per_category: dict[object, CategoryTotal] = {}
        for r in rows:
            month = months[r.month - 1]
            month.categories.append(CategoryTotal(r.category_id, r.name, r.color, r.total, r.expense_count))
            month.total += r.total
            month.expense_count += r.expense_count
            total = per_category.setdefault(r.category_id, CategoryTotal(r.category_id, r.name, r.color, ZERO, 0))
            total.total += r.total
            total.expense_count += r.expense_count
        categories = sorted(per_category.values(), key=lambda c: (c.name.lower(), str(c.id)))
        return MonthlyReport(year=year, total=sum((m.total for m in months), ZERO), months=months,
                             categories=categories)
