"""Notifications: what an account was told, how it wants to be told, and which digests went out.

Every notification is a row (the in-app list); `delivery` records what its category's setting
said when it was written: `immediate` (mailed at once: `emailed_at`), `daily` (waits for the
digest: `digested_at`) or `off` (in the app only). "Only once" rules are unique indexes made by
raw migrations (Piccolo's composite Unique fails on SQLite): one setting per (account, category)
and one digest per (account, day, kind), which makes the daily job idempotent.
"""

from enum import Enum

from piccolo.columns import Date, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from participation.accounts.tables import Account


class Category(str, Enum):
    my_ideas = "my_ideas"  # decisions about my ideas, updates of the register entry my idea went into
    following = "following"  # ideas and register entries I follow or support
    replies = "replies"  # replies to my comments
    staff = "staff"  # moderators' queue summary, editors' response deadlines


class Delivery(str, Enum):
    immediate = "immediate"
    daily = "daily"
    off = "off"


class DigestKind(str, Enum):
    activity = "activity"  # the daily digest of `daily` notifications
    moderation = "moderation"  # moderators: queue and open reports
    editor = "editor"  # editors: responses due within 7 days and overdue


class Notification(Table):
    account = ForeignKey(Account, null=False, index=True, on_delete=OnDelete.cascade)
    category = Varchar(length=20, choices=Category)
    # What happened, e.g. "idea_rejected", "comment", "reply", "entry_update" (see notifications.texts).
    kind = Varchar(length=30)
    # Plain ids: the ideas and register domains own those tables and may remove rows.
    idea_id = Integer(null=True, default=None)
    entry_id = Integer(null=True, default=None)
    # Short JSON for the text (a title, a status, a reason); rendered in the reader's language.
    payload = Text(default="{}")
    link = Varchar(length=300, default="")
    delivery = Varchar(length=10, choices=Delivery)
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
    read_at = Timestamptz(null=True, default=None)
    emailed_at = Timestamptz(null=True, default=None)
    digested_at = Timestamptz(null=True, default=None)
    digest = Integer(null=True, default=None)


class NotificationSetting(Table):
    """A chosen delivery; without a row the category's default applies (notifications.permissions)."""

    account = ForeignKey(Account, null=False, index=True, on_delete=OnDelete.cascade)
    category = Varchar(length=20, choices=Category)
    delivery = Varchar(length=10, choices=Delivery)
    updated_at = Timestamptz(default=TimestamptzNow())


class Digest(Table):
    """One daily message per (account, local day, kind): written before it is sent, never twice."""

    account = ForeignKey(Account, null=False, index=True, on_delete=OnDelete.cascade)
    day = Date()
    kind = Varchar(length=20, choices=DigestKind)
    items = Integer(default=0)
    created_at = Timestamptz(default=TimestamptzNow())
