"""Accounts: users, sessions, API tokens."""
