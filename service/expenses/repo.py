"""One typed function per SQL file under sql/expenses/ (bodies come from @sql)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from service.db.queries import Connection, sql
from service.expenses.models import (
    Budget,
    Category,
    CategoryDeletion,
    Expense,
    ImportResult,
    MonthlyRow,
    SpendingRow,
)

# ---- categories -------------------------------------------------------------


@sql("expenses/create_default_categories")
async def create_default_categories(conn: Connection, user_id: UUID) -> int: ...


@sql("expenses/insert_category")
async def insert_category(conn: Connection, user_id: UUID, name: str, description: str | None,
                          color: str | None, icon: str | None, name_key: str) -> Category: ...


@sql("expenses/get_category")
async def get_category(conn: Connection, user_id: UUID, category_id: UUID) -> Category | None: ...


@sql("expenses/list_categories")
async def list_categories(conn: Connection, user_id: UUID, after_name: str | None, limit: int) -> list[Category]: ...


@sql("expenses/update_category")
async def update_category(
    conn: Connection, user_id: UUID, category_id: UUID,
    set_name: bool, name: str | None,
    set_description: bool, description: str | None,
    set_color: bool, color: str | None,
    set_icon: bool, icon: str | None,
    if_match: list[int] | None,
    name_key: str | None,
) -> Category | None: ...


@sql("expenses/delete_category")
async def delete_category(conn: Connection, user_id: UUID, category_id: UUID,
                          if_match: list[int] | None) -> CategoryDeletion: ...


# ---- expenses ---------------------------------------------------------------


@sql("expenses/insert_expense")
async def insert_expense(
    conn: Connection, user_id: UUID, category_id: UUID, amount: Decimal, spent_on: date,
    description: str | None, payment_method: str | None, tags: list[str], notes: str | None,
    receipt_url: str | None,
) -> Expense: ...


@sql("expenses/get_expense")
async def get_expense(conn: Connection, user_id: UUID, expense_id: UUID) -> Expense | None: ...


@sql("expenses/list_expenses")
async def list_expenses(
    conn: Connection, user_id: UUID, from_: date | None, to: date | None, category_id: UUID | None,
    min_amount: Decimal | None, max_amount: Decimal | None, tag: str | None, q: str | None,
    before_spent_on: date | None, before_id: UUID | None, limit: int,
) -> list[Expense]: ...


@sql("expenses/update_expense")
async def update_expense(
    conn: Connection, user_id: UUID, expense_id: UUID,
    set_category: bool, category_id: UUID | None,
    set_amount: bool, amount: Decimal | None,
    set_spent_on: bool, spent_on: date | None,
    set_description: bool, description: str | None,
    set_payment_method: bool, payment_method: str | None,
    set_tags: bool, tags: list[str] | None,
    set_notes: bool, notes: str | None,
    set_receipt_url: bool, receipt_url: str | None,
    if_match: list[int] | None,
) -> Expense | None: ...


@sql("expenses/delete_expense")
async def delete_expense(conn: Connection, user_id: UUID, expense_id: UUID,
                         if_match: list[int] | None) -> UUID | None: ...


@sql("expenses/import_expenses")
async def import_expenses(conn: Connection, user_id: UUID, rows: list[dict[str, Any]]) -> ImportResult: ...


@sql("expenses/count_expenses")
async def count_expenses(conn: Connection, user_id: UUID) -> int: ...


# ---- budgets ----------------------------------------------------------------


@sql("expenses/insert_budget")
async def insert_budget(conn: Connection, user_id: UUID, category_id: UUID | None, amount: Decimal,
                        period: str, start_date: date, end_date: date | None) -> Budget: ...


@sql("expenses/get_budget")
async def get_budget(conn: Connection, user_id: UUID, budget_id: UUID) -> Budget | None: ...


@sql("expenses/list_budgets")
async def list_budgets(conn: Connection, user_id: UUID, before_start_date: date | None, before_id: UUID | None,
                       limit: int) -> list[Budget]: ...


@sql("expenses/update_budget")
async def update_budget(
    conn: Connection, user_id: UUID, budget_id: UUID,
    set_category: bool, category_id: UUID | None,
    set_amount: bool, amount: Decimal | None,
    set_period: bool, period: str | None,
    set_start_date: bool, start_date: date | None,
    set_end_date: bool, end_date: date | None,
    if_match: list[int] | None,
) -> Budget | None: ...


@sql("expenses/delete_budget")
async def delete_budget(conn: Connection, user_id: UUID, budget_id: UUID,
                        if_match: list[int] | None) -> UUID | None: ...


# ---- reports ----------------------------------------------------------------


@sql("expenses/spending_report")
async def spending_report(conn: Connection, user_id: UUID, from_: date, to: date) -> list[SpendingRow]: ...


@sql("expenses/monthly_report")
async def monthly_report(conn: Connection, user_id: UUID, year: int) -> list[MonthlyRow]: ...
