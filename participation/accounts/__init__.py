"""Accounts: residents and organisations, staff roles, sign-in, verification and API tokens."""
