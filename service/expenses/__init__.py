"""Expenses: categories, expenses, budgets and spending reports (the expense-tracker app)."""
