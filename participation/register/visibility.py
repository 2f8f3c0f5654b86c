"""Who sees what of the register: the one place that says a draft is for staff only.

Every public read (pages, lists, the API, open data and its version, the home page's recent
updates, statistics, notifications) takes its condition from here, so a draft never leaks
through one surface that forgot it. Staff here are the register's keepers: editors and admins.
"""

from __future__ import annotations

from typing import Any

from participation.accounts.tables import Account
from participation.register.permissions import can_edit_register
from participation.register.tables import RegisterEntry


def sees_internal(account: Account | None) -> bool:
    """Drafts, internal notes and the full change history are for the register's staff."""
    return can_edit_register(account)


def published(entry: Any = None) -> Any:
    """The Piccolo condition for entries the public may see (no drafts).

    `entry` is a foreign key to RegisterEntry when the query is over another table
    (e.g. `published(RegisterUpdate.entry)`); by default the entry table itself.
    """
    return (RegisterEntry if entry is None else entry).draft.eq(False)


def published_sql(alias: str = "register_entry") -> str:
    """The same condition for raw SQL over `register_entry` (as `alias`); `NOT` works on both engines' booleans."""
    return f"NOT {alias}.draft"


def visible_to(account: Account | None) -> list[Any]:
    """Where-clauses for the entries `account` may see: all for staff, published ones for everyone else."""
    return [] if sees_internal(account) else [published()]
