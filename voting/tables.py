"""Supports and routing records.

One support per (account, idea) and one routing per idea are unique indexes
(raw migration: Piccolo's composite Unique fails on SQLite); the idea's
support_count is kept in the same transaction as the rows it counts.
"""

from piccolo.columns import ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from ideas.tables import Idea
from participation.accounts.tables import Account


class Support(Table):
    account = ForeignKey(Account, null=False, on_delete=OnDelete.cascade)
    idea = ForeignKey(Idea, null=False, on_delete=OnDelete.cascade, index=True)
    created_at = Timestamptz(default=TimestamptzNow())


class Routing(Table):
    """How and when an idea went to the register (exactly one per idea)."""

    idea = ForeignKey(Idea, null=False, on_delete=OnDelete.cascade)
    routed_at = Timestamptz(default=TimestamptzNow())
    support_count = Integer()
    threshold = Integer()
    # "threshold": the support that reached it; "moderator": by hand, with a reason; "merge": a merge pushed it over.
    method = Varchar(length=20)
    moderator = ForeignKey(Account, null=True, default=None, on_delete=OnDelete.set_null)
    reason = Text(null=True, default=None)
    register_entry_id = Integer()
