"""Accounts: users, sign-in sessions, the audit log."""
