"""Rows the expenses SQL returns, and what clients send.

Money travels as decimal strings: request fields are ``str`` with a pattern
(so a JSON number, a third decimal or a sign is a 400 before anything runs)
and handlers turn them into ``Decimal``; response fields are ``Decimal``,
which msgspec encodes as a string.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from msgspec import UNSET, Meta, UnsetType

from service.errors import describe_constraints
from service.http.names import Name, normalize_names

MONEY_PATTERN = r"^[0-9]{1,10}(\.[0-9]{1,2})?$"
Money = Annotated[str, Meta(pattern=MONEY_PATTERN, examples=["12.50"],
                            description='positive amount, at most 2 decimals, as a string ("12.50")')]
Colour = Annotated[str, Meta(pattern=r"^#[0-9a-fA-F]{6}$", examples=["#3182ce"])]
CategoryName = Name(100)
CategoryDescription = Annotated[str, Meta(max_length=1000)]
Icon = Annotated[str, Meta(min_length=1, max_length=50)]
Description = Annotated[str, Meta(max_length=255)]
PaymentMethod = Annotated[str, Meta(min_length=1, max_length=50)]
Tag = Annotated[str, Meta(min_length=1, max_length=100)]
Tags = Annotated[list[Tag], Meta(max_length=20)]
Notes = Annotated[str, Meta(max_length=5000)]
ReceiptUrl = Annotated[str, Meta(max_length=500, pattern=r"^[Hh][Tt][Tt][Pp][Ss]?://\S+$")]
Period = Literal["weekly", "monthly", "yearly"]


def money(value: str) -> Decimal:
    """A Money string (already validated by its Struct) as the Decimal the SQL takes."""
    return Decimal(value)


def _check_money(value: str | UnsetType, field: str) -> None:
    if isinstance(value, str) and Decimal(value) <= 0:
        raise ValueError(f"{field} must be greater than 0")


# ---- rows -------------------------------------------------------------------


class Category(msgspec.Struct):
    id: UUID
    name: str
    description: str | None
    color: str
    icon: str | None
    is_default: bool
    created_at: datetime
    updated_at: datetime
    version: int


class CategoryDeletion(msgspec.Struct):
    found: bool
    expense_count: int
    deleted: bool


class Expense(msgspec.Struct):
    id: UUID
    category_id: UUID
    amount: Decimal
    spent_on: date
    description: str | None
    payment_method: str | None
    tags: list[str]
    notes: str | None
    receipt_url: str | None
    created_at: datetime
    updated_at: datetime
    version: int


class ImportResult(msgspec.Struct):
    inserted: int
    bad_row: int | None


class Budget(msgspec.Struct):
    id: UUID
    category_id: UUID | None
    amount: Decimal
    period: Period
    start_date: date
    end_date: date | None
    created_at: datetime
    updated_at: datetime
    version: int


class SpendingRow(msgspec.Struct):
    """A category's line of the spending report; id/name/color are NULL on the overall line."""

    id: UUID | None
    name: str | None
    color: str | None
    spent: Decimal
    budget: Decimal | None
    remaining: Decimal | None


class MonthlyRow(msgspec.Struct):
    month: int
    category_id: UUID
    name: str
    color: str
    total: Decimal
    expense_count: int


# ---- request bodies ---------------------------------------------------------


class CategoryCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: CategoryName
    description: CategoryDescription | None = None
    color: Colour | None = None
    icon: Icon | None = None

    def __post_init__(self) -> None:
        normalize_names(self, "name")

class CategoryPatch(msgspec.Struct, forbid_unknown_fields=True):
    name: CategoryName | UnsetType = UNSET
    description: CategoryDescription | UnsetType | None = UNSET
    color: Colour | UnsetType = UNSET
    icon: Icon | UnsetType | None = UNSET

    def __post_init__(self) -> None:
        normalize_names(self, "name")

class ExpenseCreate(msgspec.Struct, forbid_unknown_fields=True):
    category_id: UUID
    amount: Money
    spent_on: date
    description: Description | None = None
    payment_method: PaymentMethod | None = None
    tags: Tags = msgspec.field(default_factory=list)
    notes: Notes | None = None
    receipt_url: ReceiptUrl | None = None

    def __post_init__(self) -> None:
        _check_money(self.amount, "amount")


class ExpensePatch(msgspec.Struct, forbid_unknown_fields=True):
    category_id: UUID | UnsetType = UNSET
    amount: Money | UnsetType = UNSET
    spent_on: date | UnsetType = UNSET
    description: Description | UnsetType | None = UNSET
    payment_method: PaymentMethod | UnsetType | None = UNSET
    tags: Tags | UnsetType = UNSET
    notes: Notes | UnsetType | None = UNSET
    receipt_url: ReceiptUrl | UnsetType | None = UNSET

    def __post_init__(self) -> None:
        _check_money(self.amount, "amount")


MAX_IMPORT_ROWS = 10_000


class ExpenseImport(msgspec.Struct, forbid_unknown_fields=True):
    """POST /expenses/import: a validation error names the row as ``$.expenses[i]``."""

    expenses: Annotated[list[ExpenseCreate], Meta(min_length=1, max_length=MAX_IMPORT_ROWS)]


class ImportSummary(msgspec.Struct):
    inserted: int


class BudgetCreate(msgspec.Struct, forbid_unknown_fields=True):
    amount: Money
    start_date: date
    category_id: UUID | None = None
    period: Period = "monthly"
    end_date: date | None = None

    def __post_init__(self) -> None:
        _check_money(self.amount, "amount")
        if self.end_date is not None and self.end_date < self.start_date:
            raise ValueError("end_date must not be before start_date")


class BudgetPatch(msgspec.Struct, forbid_unknown_fields=True):
    category_id: UUID | UnsetType | None = UNSET
    amount: Money | UnsetType = UNSET
    period: Period | UnsetType = UNSET
    start_date: date | UnsetType = UNSET
    end_date: date | UnsetType | None = UNSET

    def __post_init__(self) -> None:
        _check_money(self.amount, "amount")
        if isinstance(self.start_date, date) and isinstance(self.end_date, date) and self.end_date < self.start_date:
            raise ValueError("end_date must not be before start_date")


# ---- report bodies ----------------------------------------------------------


class SpendingLine(msgspec.Struct):
    id: UUID
    name: str
    color: str
    spent: Decimal
    budget: Decimal | None
    remaining: Decimal | None


class SpendingTotal(msgspec.Struct):
    spent: Decimal
    budget: Decimal | None
    remaining: Decimal | None


class SpendingReport(msgspec.Struct):
    from_: date = msgspec.field(name="from")
    to: date
    categories: list[SpendingLine]
    overall: SpendingTotal


class CategoryTotal(msgspec.Struct):
    id: UUID
    name: str
    color: str
    total: Decimal
    expense_count: int


class MonthTotal(msgspec.Struct):
    month: int
    total: Decimal
    expense_count: int
    categories: list[CategoryTotal]


class MonthlyReport(msgspec.Struct):
    year: int
    total: Decimal
    months: list[MonthTotal]
    categories: list[CategoryTotal]


describe_constraints({
    "categories_user_id_name_key_key": "you already have a category with this name (ignoring case)",
    "categories_name_chk": "name must be 1-100 characters without leading or trailing spaces",
    "categories_color_chk": "color must be #rrggbb",
    "categories_icon_chk": "icon must be 1-50 characters",
    "categories_description_chk": "description must be at most 1000 characters",
    "expenses_category_id_fkey": "category_id is not one of your categories",
    "expenses_amount_chk": "amount must be greater than 0",
    "expenses_spent_on_chk": "spent_on must be a real date",
    "expenses_description_chk": "description must be at most 255 characters",
    "expenses_payment_method_chk": "payment_method must be 1-50 characters",
    "expenses_tags_chk": "at most 20 tags, each 1-100 characters",
    "expenses_notes_chk": "notes must be at most 5000 characters",
    "expenses_receipt_url_chk": "receipt_url must be an http(s) URL of at most 500 characters",
    "budgets_category_id_fkey": "category_id is not one of your categories",
    "budgets_amount_chk": "amount must be greater than 0",
    "budgets_period_chk": "period must be weekly, monthly or yearly",
    "budgets_start_date_chk": "start_date must be a real date",
    "budgets_end_date_chk": "end_date must not be before start_date",
})
