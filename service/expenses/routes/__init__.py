"""The expenses domain's HTTP routes, one controller per resource."""

from __future__ import annotations

from service.expenses.routes.budgets import BudgetController
from service.expenses.routes.categories import CategoryController
from service.expenses.routes.expenses import ExpenseController
from service.expenses.routes.reports import ReportController

CONTROLLERS = [CategoryController, ExpenseController, BudgetController, ReportController]

__all__ = ["CONTROLLERS", "BudgetController", "CategoryController", "ExpenseController", "ReportController"]
